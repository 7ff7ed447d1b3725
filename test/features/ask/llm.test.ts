// The rule: the LLM only phrases; an agency or a date in its text that the
// retrieved records do not hold means its text is thrown away and the template
// answer stands. Tested through the real LangChain OpenAI client against a fake
// OpenAI-compatible server on 127.0.0.1.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlmPhraser, guardText } from "../../../src/features/ask/llm.js";
import { createAskService } from "../../../src/features/ask/service.js";
import { loadConfig } from "../../../src/config.js";
import { loadKnowledge } from "../../../src/knowledge/load.js";
import { createEmbeddings } from "../../../src/retrieval/langchain.js";
import { fixtureIndex, tasks } from "./fixtures.js";

let server: Server;
let baseUrl = "";
let reply = "";
const seen: { path: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      seen.push({ path: req.url ?? "", body });
      res.setHeader("content-type", "application/json");
      if (req.url?.endsWith("/chat/completions")) {
        res.end(JSON.stringify({
          id: "chatcmpl-1", object: "chat.completion", created: 1, model: String(body.model),
          choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }));
      } else if (req.url?.endsWith("/embeddings")) {
        const input = Array.isArray(body.input) ? body.input : [body.input];
        // a deterministic 3-d vector per text; base64 of float32 when the client asks for it (openai v6 does)
        const vec = (s: unknown) => [(String(s).length % 7) + 1, String(s).includes("sáng tạo") ? 5 : 1, 1];
        const enc = (v: number[]) => (body.encoding_format === "base64" ? Buffer.from(new Float32Array(v).buffer).toString("base64") : v);
        res.end(JSON.stringify({
          object: "list", model: String(body.model),
          data: input.map((s, i) => ({ object: "embedding", index: i, embedding: enc(vec(s)) })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }));
      } else {
        res.statusCode = 404;
        res.end("{}");
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const llmConfig = () => loadConfig({ LLM_PROVIDER: "openai", LLM_BASE_URL: baseUrl, LLM_MODEL: "fake-model", LLM_API_KEY: "sk-test", DATA_DIR: "" });

describe("LLM phrasing through the real LangChain client", () => {
  const record = tasks.find((t) => t.id === "BN-5.1")!;

  it("sends the prompt templates with only the retrieved records, and keeps a faithful answer", async () => {
    reply = "Sở Khoa học và Công nghệ chủ trì xây dựng Đề án thành lập Trung tâm đổi mới sáng tạo, hạn 15/12/2026.";
    const phraser = createLlmPhraser(llmConfig())!;
    const out = await phraser.phrase("Ai làm đề án trung tâm đổi mới sáng tạo?", [record]);
    expect(out).toBe(reply);
    const call = seen.filter((s) => s.path.endsWith("/chat/completions")).at(-1)!;
    expect(call.body.model).toBe("fake-model");
    const messages = call.body.messages as { role: string; content: string }[];
    expect(messages[0]!.role).toBe("system");
    expect(messages[0]!.content).toContain("Chỉ dùng thông tin trong phần BẢN GHI");
    expect(messages[1]!.content).toContain("[BN-5.1]");
    expect(messages[1]!.content).toContain("Ai làm đề án trung tâm đổi mới sáng tạo?");
  });

  it("throws out an invented agency", async () => {
    reply = "Sở Ngoại vụ chủ trì xây dựng Đề án thành lập Trung tâm đổi mới sáng tạo, hạn 15/12/2026.";
    const phraser = createLlmPhraser(llmConfig())!;
    expect(await phraser.phrase("Ai làm đề án trung tâm đổi mới sáng tạo?", [record])).toBeNull();
    expect(phraser.lastRejection).toContain("Sở Ngoại vụ");
  });

  it("throws out an invented date", async () => {
    reply = "Sở Khoa học và Công nghệ chủ trì, hạn 30/9/2026.";
    const phraser = createLlmPhraser(llmConfig())!;
    expect(await phraser.phrase("Hạn khi nào?", [record])).toBeNull();
    expect(phraser.lastRejection).toContain("30/9/2026");
  });

  it("the service falls back to the template answer when the guard rejects", async () => {
    reply = "Theo kế hoạch, Công an tỉnh và Sở Ngoại vụ lo việc kinh phí từ 01/01/2027.";
    const service = await createAskService(fixtureIndex(), llmConfig());
    const j = await service.askJson("Kế hoạch Bắc Giang nói gì về kinh phí?");
    expect(j.via).toBe("template");
    expect(j.answer).not.toContain("Sở Ngoại vụ");
    expect(j.answer).toContain("Ngân sách nhà nước");
    expect(j.matches[0]!.id).toBe("BG-P40");
  });

  it("the service uses the LLM text, with the citation, when it passes the guard", async () => {
    reply = "Kế hoạch Bắc Giang bố trí kinh phí từ ngân sách nhà nước, nguồn xã hội hóa và vốn doanh nghiệp.";
    const service = await createAskService(fixtureIndex(), llmConfig());
    const j = await service.askJson("Kế hoạch Bắc Giang nói gì về kinh phí?");
    expect(j.via).toBe("llm");
    expect(j.answer).toContain(reply);
    expect(j.answer).toContain("mã BG-P40");
  });

  it("an unreachable LLM leaves the template answer", async () => {
    const cfg = loadConfig({ LLM_PROVIDER: "openai", LLM_BASE_URL: "http://127.0.0.1:9/v1", LLM_MODEL: "x", DATA_DIR: "" });
    const service = await createAskService(fixtureIndex(), cfg);
    const j = await service.askJson("Kế hoạch Bắc Giang nói gì về kinh phí?");
    expect(j.via).toBe("template");
    expect(j.notFound).toBe(false);
  });
});

describe("the guard on its own", () => {
  const r = tasks.find((t) => t.id === "BN-8.10")!;
  it("accepts agencies and dates the record holds, in any zero-padding", () => {
    expect(guardText("Công an tỉnh chủ trì, phối hợp các sở, ngành; hạn 15/12/2026.", [r])).toBe("");
  });
  it("rejects an agency from another record", () => {
    expect(guardText("Sở Y tế chủ trì.", [r])).toContain("Sở Y tế");
  });
});

describe("EMBEDDINGS_PROVIDER=openai swaps in OpenAIEmbeddings", () => {
  it("retrieval runs over vectors from the fake /v1/embeddings", async () => {
    const cfg = loadConfig({ EMBEDDINGS_PROVIDER: "openai", EMBEDDINGS_BASE_URL: baseUrl, EMBEDDINGS_MODEL: "fake-embed", EMBEDDINGS_API_KEY: "sk-test", DATA_DIR: mkdtempSync(join(tmpdir(), "ask-emb-")) });
    const e = createEmbeddings(cfg);
    expect((await e.embedQuery("xin chào")).length).toBe(3);
    const service = await createAskService(fixtureIndex(), cfg, { llm: null });
    const j = await service.askJson("Ai chủ trì xây dựng Đề án thành lập Trung tâm đổi mới sáng tạo?");
    expect(j.matches[0]!.id).toBe("BN-5.1");
    expect(seen.some((s) => s.path.endsWith("/embeddings") && s.body.model === "fake-embed")).toBe(true);
  });
});

void loadKnowledge;
