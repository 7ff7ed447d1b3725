// The one file that imports LangChain. Everything else in the project talks to
// these small wrappers, so a LangChain upgrade touches here only. (Vectors are
// searched in vectors.ts: exact, over the rows a filter lets through.)
//
// Only the embeddings' base class is loaded with the program: the OpenAI and
// Ollama clients, the chat models and the text splitter are imported when first
// used (they take about a second to load, and most runs never use them).
import { Embeddings, type EmbeddingsInterface } from "@langchain/core/embeddings";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Config } from "../config.js";
import { syllables } from "./analyzer.js";

// ---------------------------------------------------------------- embeddings

/** Dimensions of our own embeddings. */
export const LOCAL_DIMS = 256;

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
  return syllableFeatures(syllables(text, { lenient: true }));
}

/** embeddingFeatures over a text's syllables (`syllables(text, { lenient: true })`). */
export function syllableFeatures(sylls: string[]): Map<string, number> {
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

/** A text's hashed features before idf: the buckets its features fall in, and per bucket the signed, sublinear tf summed. */
export function hashedFeatures(text: string, dims: number): { buckets: Int32Array; raw: Float64Array } {
  return hashedSyllables(syllables(text, { lenient: true }), dims);
}

// hashedSyllables is syllableFeatures then hashing, with each feature key numbered once (an
// index build reads the same words a hundred times over) and counted in arrays: the same
// keys, weights, order of sums and buckets as the plain loops above. Emptied when large.
const MEMO_LIMIT = 500_000;
const sylIds = new Map<string, Int32Array>();
const pairIds = new Map<string, Map<string, number>>();
let keyHash: number[] = [];
let keyIds = new Map<string, number>();
let weight = new Float64Array(1024);
let stamp = new Int32Array(1024);
let gen = 0;

function idOf(key: string): number {
  let id = keyIds.get(key);
  if (id === undefined) {
    id = keyHash.length;
    keyIds.set(key, id);
    keyHash.push(hash32(key));
  }
  return id;
}

function forget(): void {
  sylIds.clear();
  pairIds.clear();
  keyIds = new Map();
  keyHash = [];
  stamp = new Int32Array(1024);
  weight = new Float64Array(1024);
}

/** hashedFeatures over a text's syllables. */
export function hashedSyllables(sylls: string[], dims: number): { buckets: Int32Array; raw: Float64Array } {
  if (keyHash.length > MEMO_LIMIT) forget();
  const g = ++gen;
  const order: number[] = [];
  const add = (id: number, w: number) => {
    if (id >= stamp.length) {
      const n = Math.max(id + 1, stamp.length * 2);
      const s2 = new Int32Array(n);
      s2.set(stamp);
      stamp = s2;
      const w2 = new Float64Array(n);
      w2.set(weight);
      weight = w2;
    }
    if (stamp[id] !== g) {
      stamp[id] = g;
      weight[id] = 0;
      order.push(id);
    }
    weight[id]! += w;
  };
  for (let i = 0; i < sylls.length; i++) {
    const s = sylls[i]!;
    let ids = sylIds.get(s);
    if (!ids) {
      const keys = ["u:" + s];
      const padded = ` ${s} `;
      if (padded.length > 3) for (let j = 0; j + 3 <= padded.length; j++) keys.push("c:" + padded.slice(j, j + 3));
      sylIds.set(s, (ids = Int32Array.from(keys, idOf)));
    }
    add(ids[0]!, 1);
    if (i + 1 < sylls.length) {
      const t = sylls[i + 1]!;
      let m = pairIds.get(s);
      if (!m) pairIds.set(s, (m = new Map()));
      let p = m.get(t);
      if (p === undefined) m.set(t, (p = idOf("b:" + s + " " + t)));
      add(p, 1.6);
    }
    for (let j = 1; j < ids.length; j++) add(ids[j]!, 0.35);
  }
  const byBucket = new Map<number, number>();
  for (const id of order) {
    const h = keyHash[id]!;
    const b = h % dims;
    const sign = (h >>> 31) & 1 ? -1 : 1;
    byBucket.set(b, (byBucket.get(b) ?? 0) + sign * (1 + Math.log(weight[id]!)));
  }
  return { buckets: Int32Array.from(byBucket.keys()), raw: Float64Array.from(byBucket.values()) };
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

  constructor(dims = LOCAL_DIMS) {
    super({});
    this.dims = dims;
    this.idf = new Float32Array(dims).fill(1);
  }

  /** Learn bucket document frequencies from the corpus. */
  fit(texts: string[]): void {
    this.fitFeatures(texts.map((t) => hashedFeatures(t, this.dims)));
  }

  /** Learn bucket document frequencies from the texts' features (`hashedFeatures`). */
  fitFeatures(features: { buckets: Int32Array }[]): void {
    const df = new Float32Array(this.dims);
    for (const f of features) for (const b of f.buckets) df[b]! += 1;
    const n = Math.max(1, features.length);
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

  /** The embedding of a text from its features (idf applied, L2-normalised). */
  fromFeatures(f: { buckets: Int32Array; raw: Float64Array }): Float32Array {
    const v = new Float64Array(this.dims);
    for (let i = 0; i < f.buckets.length; i++) v[f.buckets[i]!]! += f.raw[i]! * this.idf[f.buckets[i]!]!;
    let norm = 0;
    for (let i = 0; i < this.dims; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm) || 1;
    const out = new Float32Array(this.dims);
    for (let i = 0; i < this.dims; i++) out[i] = v[i]! / norm;
    return out;
  }

  embed(text: string): number[] {
    return Array.from(this.fromFeatures(hashedFeatures(text, this.dims)));
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    if (!this.fitted) this.fit(documents);
    return documents.map((d) => this.embed(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }
}

/** Embeddings whose client is imported on first use. */
class LazyEmbeddings extends Embeddings {
  private real?: Promise<EmbeddingsInterface>;
  constructor(private readonly make: () => Promise<EmbeddingsInterface>) {
    super({});
  }
  private get client(): Promise<EmbeddingsInterface> {
    return (this.real ??= this.make());
  }
  async embedDocuments(documents: string[]): Promise<number[][]> {
    return (await this.client).embedDocuments(documents);
  }
  async embedQuery(document: string): Promise<number[]> {
    return (await this.client).embedQuery(document);
  }
}

/** The configured embeddings: ours by default, OpenAI-compatible or Ollama when asked. */
export function createEmbeddings(config: Pick<Config, "EMBEDDINGS_PROVIDER" | "EMBEDDINGS_BASE_URL" | "EMBEDDINGS_MODEL" | "EMBEDDINGS_API_KEY">, dims = LOCAL_DIMS): EmbeddingsInterface {
  switch (config.EMBEDDINGS_PROVIDER) {
    case "openai":
      return new LazyEmbeddings(async () => {
        const { OpenAIEmbeddings } = await import("@langchain/openai");
        return new OpenAIEmbeddings({
          model: config.EMBEDDINGS_MODEL ?? "text-embedding-3-small",
          apiKey: config.EMBEDDINGS_API_KEY ?? "not-needed",
          configuration: config.EMBEDDINGS_BASE_URL ? { baseURL: config.EMBEDDINGS_BASE_URL } : undefined,
          maxRetries: 1,
        });
      });
    case "ollama":
      return new LazyEmbeddings(async () => {
        const { OllamaEmbeddings } = await import("@langchain/ollama");
        return new OllamaEmbeddings({
          model: config.EMBEDDINGS_MODEL ?? "nomic-embed-text",
          baseUrl: config.EMBEDDINGS_BASE_URL ?? "http://127.0.0.1:11434",
        });
      });
    default:
      return new LocalHashEmbeddings(dims);
  }
}

// ---------------------------------------------------------------- baseline chunking

/** LangChain's RecursiveCharacterTextSplitter with its defaults (1,000 characters, 200 overlap). */
export async function splitDefault(text: string): Promise<string[]> {
  const { RecursiveCharacterTextSplitter } = await import("@langchain/textsplitters");
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
  let model: Promise<BaseChatModel> | undefined;
  const make = async (): Promise<BaseChatModel> => {
    if (c.provider === "ollama") {
      const { ChatOllama } = await import("@langchain/ollama");
      return new ChatOllama({ model: c.model, baseUrl: c.baseUrl ?? "http://127.0.0.1:11434", temperature: 0 });
    }
    const { ChatOpenAI } = await import("@langchain/openai");
    return new ChatOpenAI({
      model: c.model,
      apiKey: c.apiKey ?? "not-needed",
      configuration: c.baseUrl ? { baseURL: c.baseUrl } : undefined,
      temperature: 0,
      maxRetries: 0,
      timeout: c.timeoutMs ?? 20_000,
    });
  };
  return {
    async complete(systemTemplate, userTemplate, vars) {
      const { ChatPromptTemplate } = await import("@langchain/core/prompts");
      const prompt = ChatPromptTemplate.fromMessages([
        ["system", systemTemplate],
        ["human", userTemplate],
      ]);
      const messages = await prompt.formatMessages(vars);
      const chat = await (model ??= make());
      const res = await chat.invoke(messages);
      const content = res.content;
      if (typeof content === "string") return content;
      return content.map((p) => ("text" in p && typeof p.text === "string" ? p.text : "")).join("");
    },
  };
}
