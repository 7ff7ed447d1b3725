// The one file that imports LangChain and hnswlib. Everything else in the
// project talks to these small wrappers, so a LangChain upgrade touches here only.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { Document } from "@langchain/core/documents";
import { Embeddings, type EmbeddingsInterface } from "@langchain/core/embeddings";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { ChatOllama, OllamaEmbeddings } from "@langchain/ollama";
import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import type { Config } from "../config.js";
import { syllables } from "./analyzer.js";

// ---------------------------------------------------------------- embeddings

/** FNV-1a 32-bit. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Weighted features of a text: syllables, syllable pairs and character trigrams (folded, abbreviations expanded). */
export function embeddingFeatures(text: string): Map<string, number> {
  const sylls = syllables(text, { lenient: true });
  const f = new Map<string, number>();
  const add = (k: string, w: number) => f.set(k, (f.get(k) ?? 0) + w);
  for (let i = 0; i < sylls.length; i++) {
    const s = sylls[i]!;
    add("u:" + s, 1);
    if (i + 1 < sylls.length) add("b:" + s + " " + sylls[i + 1]!, 1.6);
    const padded = ` ${s} `;
    if (padded.length > 3) for (let j = 0; j + 3 <= padded.length; j++) add("c:" + padded.slice(j, j + 3), 0.35);
  }
  return f;
}

/**
 * Our default embeddings: hashed TF-IDF over syllables, syllable pairs and
 * character trigrams, signed hashing into `dims` buckets, sublinear tf, L2-normalised.
 * Document frequencies are learnt from the indexed records (`fit`) and saved with the index.
 */
export class LocalHashEmbeddings extends Embeddings {
  readonly dims: number;
  private idf: Float32Array;
  private fitted = false;

  constructor(dims = 1024) {
    super({});
    this.dims = dims;
    this.idf = new Float32Array(dims).fill(1);
  }

  /** Learn bucket document frequencies from the corpus. */
  fit(texts: string[]): void {
    const df = new Float32Array(this.dims);
    for (const t of texts) {
      const seen = new Set<number>();
      for (const k of embeddingFeatures(t).keys()) seen.add(hash32(k) % this.dims);
      for (const b of seen) df[b]! += 1;
    }
    const n = Math.max(1, texts.length);
    for (let i = 0; i < this.dims; i++) this.idf[i] = Math.log(1 + n / (1 + df[i]!));
    this.fitted = true;
  }

  state(): { dims: number; idf: number[] } {
    return { dims: this.dims, idf: Array.from(this.idf) };
  }

  static fromState(s: { dims: number; idf: number[] }): LocalHashEmbeddings {
    const e = new LocalHashEmbeddings(s.dims);
    e.idf = Float32Array.from(s.idf);
    e.fitted = true;
    return e;
  }

  embed(text: string): number[] {
    const v = new Float64Array(this.dims);
    for (const [k, tf] of embeddingFeatures(text)) {
      const h = hash32(k);
      const b = h % this.dims;
      const sign = (h >>> 31) & 1 ? -1 : 1;
      v[b]! += sign * (1 + Math.log(tf)) * this.idf[b]!;
    }
    let norm = 0;
    for (let i = 0; i < this.dims; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    if (!this.fitted) this.fit(documents);
    return documents.map((d) => this.embed(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }
}

/** The configured embeddings: ours by default, OpenAI-compatible or Ollama when asked. */
export function createEmbeddings(config: Pick<Config, "EMBEDDINGS_PROVIDER" | "EMBEDDINGS_BASE_URL" | "EMBEDDINGS_MODEL" | "EMBEDDINGS_API_KEY">): EmbeddingsInterface {
  switch (config.EMBEDDINGS_PROVIDER) {
    case "openai":
      return new OpenAIEmbeddings({
        model: config.EMBEDDINGS_MODEL ?? "text-embedding-3-small",
        apiKey: config.EMBEDDINGS_API_KEY ?? "not-needed",
        configuration: config.EMBEDDINGS_BASE_URL ? { baseURL: config.EMBEDDINGS_BASE_URL } : undefined,
        maxRetries: 1,
      });
    case "ollama":
      return new OllamaEmbeddings({
        model: config.EMBEDDINGS_MODEL ?? "nomic-embed-text",
        baseUrl: config.EMBEDDINGS_BASE_URL ?? "http://127.0.0.1:11434",
      });
    default:
      return new LocalHashEmbeddings();
  }
}

// ---------------------------------------------------------------- vector index (hnswlib via LangChain)

export interface VectorDoc {
  /** Position of the unit in the retriever's unit list. */
  unit: number;
  text: string;
}

export interface VectorHit {
  unit: number;
  /** Cosine similarity (1 − the cosine distance hnswlib returns). */
  similarity: number;
}

export class VectorIndex {
  private constructor(
    private readonly store: HNSWLib,
    readonly embeddings: EmbeddingsInterface,
  ) {}

  static async build(docs: VectorDoc[], embeddings: EmbeddingsInterface): Promise<VectorIndex> {
    if (embeddings instanceof LocalHashEmbeddings) embeddings.fit(docs.map((d) => d.text));
    const vectors = await embeddings.embedDocuments(docs.map((d) => d.text));
    const store = new HNSWLib(embeddings, { space: "cosine", numDimensions: vectors[0]?.length ?? 1 });
    await store.addVectors(
      vectors,
      docs.map((d) => new Document({ pageContent: "", metadata: { unit: d.unit } })),
    );
    return new VectorIndex(store, embeddings);
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await this.store.save(dir);
    if (this.embeddings instanceof LocalHashEmbeddings) {
      await writeFile(join(dir, "local-embeddings.json"), JSON.stringify(this.embeddings.state()));
    }
  }

  static async load(dir: string, embeddings: EmbeddingsInterface): Promise<VectorIndex> {
    let emb = embeddings;
    if (embeddings instanceof LocalHashEmbeddings) {
      emb = LocalHashEmbeddings.fromState(JSON.parse(await readFile(join(dir, "local-embeddings.json"), "utf8")));
    }
    const store = await HNSWLib.load(dir, emb);
    return new VectorIndex(store, emb);
  }

  get size(): number {
    return this.store.index.getCurrentCount();
  }

  async search(query: string, k: number): Promise<VectorHit[]> {
    const n = this.size;
    if (n === 0) return [];
    const q = await this.embeddings.embedQuery(query);
    const kk = Math.min(k, n);
    this.store.index.setEf(Math.max(64, kk));
    const res = await this.store.similaritySearchVectorWithScore(q, kk);
    return res.map(([doc, distance]) => ({ unit: Number(doc.metadata["unit"]), similarity: 1 - distance }));
  }
}

// ---------------------------------------------------------------- baseline chunking

/** LangChain's RecursiveCharacterTextSplitter with its defaults (1,000 characters, 200 overlap). */
export async function splitDefault(text: string): Promise<string[]> {
  const splitter = new RecursiveCharacterTextSplitter();
  return splitter.splitText(text);
}

// ---------------------------------------------------------------- chat model

export interface ChatConfig {
  provider: "openai" | "ollama";
  baseUrl?: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
}

export interface Chat {
  /** Fill the templates and ask the model; returns its text. */
  complete(systemTemplate: string, userTemplate: string, vars: Record<string, string>): Promise<string>;
}

export function createChat(c: ChatConfig): Chat {
  const model: BaseChatModel =
    c.provider === "ollama"
      ? new ChatOllama({ model: c.model, baseUrl: c.baseUrl ?? "http://127.0.0.1:11434", temperature: 0 })
      : new ChatOpenAI({
          model: c.model,
          apiKey: c.apiKey ?? "not-needed",
          configuration: c.baseUrl ? { baseURL: c.baseUrl } : undefined,
          temperature: 0,
          maxRetries: 0,
          timeout: c.timeoutMs ?? 20_000,
        });
  return {
    async complete(systemTemplate, userTemplate, vars) {
      const prompt = ChatPromptTemplate.fromMessages([
        ["system", systemTemplate],
        ["human", userTemplate],
      ]);
      const messages = await prompt.formatMessages(vars);
      const res = await model.invoke(messages);
      const content = res.content;
      if (typeof content === "string") return content;
      return content.map((p) => ("text" in p && typeof p.text === "string" ? p.text : "")).join("");
    },
  };
}
