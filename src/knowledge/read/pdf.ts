// Placeholder until the PDF reader (branch pdf-reader) lands: a PDF gives a
// clear "unsupported" warning naming the file, and the other plans load.
import { DocumentReadError, type PlanDocument } from "../document.js";

export async function readPdf(file: string, data: Uint8Array): Promise<PlanDocument> {
  void data;
  throw new DocumentReadError("unsupported", `${file}: PDF files cannot be read yet; add the plan as .docx, .md or .txt`);
}
