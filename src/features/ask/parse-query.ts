// A question's words → one typed Query. Plan names, places and the plan's year
// are consumed as scope first, then agencies (several), the role asked about,
// kinds of record, the period or state, what is asked; only the content words
// that are left become the topic. Pure functions over folded syllables.
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import { expand, isPlainLower, phraseKey, STOPWORDS, tokenize } from "../../retrieval/analyzer.js";
import { agencyMatcher, type Mention } from "../../retrieval/matchers.js";
import { nfc } from "../../text/vietnamese.js";
import { questionPeriod } from "./periods.js";
import { EMPTY_QUERY, type Ask, type Query, type RecordKind } from "./query.js";
import { createScopeMatcher, placeKey } from "./scope.js";
import { FOREIGN_PLACES, LIST_FILLER, QUESTION_PHRASES } from "./vocabulary.js";

export interface QueryParser {
  parse(question: string, now: Date): Query;
}

const PHRASE_LIST = QUESTION_PHRASES.map((p) => p.split(" ")).sort((a, b) => b.length - a.length);

const has = (f: string, re: RegExp) => re.test(f);

/** The kinds of body an agency's name starts with (folded, abbreviations expanded). */
const AGENCY_HEAD =
  /^(?:so|ban|bo|uy ban|hoi dong|cong an|van phong|trung tam|vien|to dang|dang uy|dang bo|dang doan|tinh doan|tinh uy|thanh uy|thanh tra|ngan hang|bao|dai|hoi|lien hiep|lien doan|chi cuc|cuc|tong cuc|phong|truong|hoc vien|kho bac|bao hiem|thong ke|doan|chi bo|bo chi huy|bo tu lenh|mat tran|quan doi|thu truong|giam doc|chu tich|lanh dao|cac|kiem toan|toa an|vien kiem sat|doanh nghiep|hop tac xa|ubnd|cap uy|thuong truc|nganh|dia phuong)\b/;

/** Words that open a follow-up ("còn …", "thế còn …", "vậy …", "trong số đó …"). */
const FOLLOW_UP_START = /^ (?:con|the con|vay con|vay|the|roi|thi sao|trong (?:so )?do|trong nhung (?:viec|nhiem vu) (?:do|nay|tren)|o do|cai nao|viec nao trong do|may viec do|nhung viec do|uy ban do|co quan do|don vi do)\b/;

/** Words of a question about reports that say what is asked (when, to whom, how often), not about what. */
const DUTY_FILLER = new Set(
  ("bao cao dinh ky gui ve dau nop moc nao han ngay truoc cho ai len the sao lan mot bao lau ket qua thuc hien ke hoach tinh hinh tien do " +
    "phai co nhung cac cua trong qua trinh trien khai gi nhu nao duoc giao nghia vu trach nhiem va hay hoac thi la khong").split(" "),
);
const dutyTopic = (topic: string) => topic.split(" ").filter((w) => w && !DUTY_FILLER.has(w) && !/^\d+$/.test(w)).join(" ");

export function createQueryParser(kb: KnowledgeIndex, timeZone = "Asia/Ho_Chi_Minh"): QueryParser {
  const { matcher: agencies, names } = agencyMatcher(kb);
  const scope = createScopeMatcher(kb);
  const idRe = /[A-Za-zĐđ]{2,5}[-_ ]?(?:CT[-_ ]?)?[A-Za-z]?\d+(?:[.,][a-zđ]{0,2}\d+)*[a-zđ]{0,2}\b/gi;

  return {
    parse(question, now) {
      const raw = nfc(question).slice(0, 2000);
      const lenient = isPlainLower(raw);
      const sylls = expand(tokenize(raw), lenient);
      const f = " " + sylls.join(" ") + " ";
      const q: Query = { ...EMPTY_QUERY, plans: [], agencies: [], recipients: [], kinds: [] };
      if (sylls.length === 0) return q;

      // A record id typed as such.
      for (const m of raw.matchAll(idRe)) {
        const r = kb.record(m[0]);
        if (r && /\d/.test(m[0])) {
          q.recordId = r.id;
          break;
        }
      }

      // 1. Scope: plans named by issuer, number, place, code.
      const sc = scope.match(sylls);
      // An agency is named by its kind of body first ("Sở …", "Ban …", "UBND …"); an alias that is only a
      // field ("khoa học công nghệ" from "KH&CN") is the topic, not an agency.
      const agencyMentions: Mention[] = agencies.match(sylls).filter((a) => AGENCY_HEAD.test(sylls.slice(a.start, a.end).join(" ")));
      const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
      // A plan's issuer is also an agency ("UBND tỉnh Bắc Ninh", "Thanh tra tỉnh"): it is the scope when it follows
      // the words that name a plan ("kế hoạch của …", "theo …", "KH …") or another agency is asked about.
      const planWords = (start: number) => /(?:^|\s)(?:ke hoach|kh|quyet dinh|theo|cua|trong|qd|tai|o)$/.test(sylls.slice(Math.max(0, start - 3), start).join(" "));
      const issuerAsAgency: Mention[] = [];
      // An agency inside a scope phrase (the issuer "UBND tỉnh Bắc Ninh" is also an agency) is ambiguous;
      // a place inside an agency's name ("Bộ Chỉ huy Quân sự tỉnh Bắc Ninh") or beside it is not: both stand.
      const nested = (a: Mention, s: Mention) => s.start <= a.start && a.end <= s.end;
      const scopeSpans = sc.spans.filter((s) => {
        const clash = agencyMentions.find((a) => nested(a, s));
        if (!clash) return true;
        const others = agencyMentions.filter((a) => a !== clash && !overlaps(a, s));
        // Another phrase names a plan outright ("KH UBND tỉnh Bắc Ninh … giao Thanh tra tỉnh"): this one is the agency asked about.
        const whole = clash.start === s.start && clash.end === s.end;
        // "… của UBND tỉnh Bắc Ninh và UBND tỉnh Bắc Giang": joined to a plan's name, it names a plan too.
        const joined = (sylls[s.start - 1] === "va" || sylls[s.start - 1] === "voi") && sc.spans.some((x) => x.end === s.start - 1);
        if (joined) return true;
        const namedElsewhere = whole && sc.spans.some((x) => x !== s && x.kind === "name" && !overlaps(x, s));
        if (namedElsewhere && !planWords(s.start)) return false;
        // An issuer without its place beside a place ("Bắc Ninh (UBND tỉnh)") names the plan.
        const besidePlace = s.kind === "bare" && sc.spans.some((x) => x.kind === "place" && !overlaps(x, s));
        if (planWords(s.start) || others.length > 0 || besidePlace) return true;
        issuerAsAgency.push(clash);
        return false;
      });
      const dropped = sc.spans.filter((s) => !scopeSpans.includes(s));
      // A phrase read as the agency asked about leaves its place as scope ("Thanh tra tỉnh Bắc Ninh … kế hoạch
      // của UBND tỉnh": Bắc Ninh's plans): only the rest of it is masked.
      const placeIn = (s: Mention): { start: number; end: number }[] => {
        // the shortest tail of the phrase that is a place by itself ("… tỉnh Bắc Ninh" → "Bắc Ninh": every plan
        // of the place, where "tỉnh Bắc Ninh" alone may be one plan's alias)
        for (let k = s.end - 1; k > s.start; k--) {
          const tail = scope.match(sylls.slice(k, s.end)).spans;
          if (tail.length === 1 && tail[0]!.kind === "place" && tail[0]!.start === 0 && tail[0]!.end === s.end - k) return [{ start: k, end: s.end }];
        }
        return [];
      };
      const placesKept = dropped.flatMap(placeIn);
      const masked = (i: number) => dropped.some((s) => i >= s.start && i < s.end) && !placesKept.some((k) => i >= k.start && i < k.end);
      const scopedPlans = dropped.length === 0 ? sc.plans : scope.match(sylls.map((w, i) => (masked(i) ? "_" : w))).plans;
      for (const s of dropped) {
        const clash = agencyMentions.find((a) => nested(a, s));
        if (clash && !issuerAsAgency.includes(clash)) issuerAsAgency.push(clash);
      }
      q.plans = scopedPlans;
      q.scoped = scopedPlans.length > 0;
      const agencyOnly = agencyMentions.filter((a) => !scopeSpans.some((s) => nested(a, s)) || issuerAsAgency.includes(a));

      // A place no plan covers.
      if (!q.scoped) {
        for (const p of FOREIGN_PLACES) {
          if (f.includes(` ${p} `) && !scope.places.has(p) && ![...scope.places].some((x) => placeKey(x).includes(p))) {
            q.foreignPlace = p;
            break;
          }
        }
      }

      // 2. Agencies and the role asked about.
      const coord = has(f, / (?:phoi hop|cung voi ai) /);
      const leadWords = has(f, / (?:chu tri|phu trach|dau moi|giao cho ai|do ai|ai lam|ai thuc hien|chiu trach nhiem|dam nhiem|tham muu|lanh dao) /);
      const eitherWords = has(f, / (?:chu tri (?:va|hoac) phoi hop|tham gia|lien quan|ca chu tri|hoac phoi hop|va phoi hop) /);
      // No role named ("Sở Y tế có những việc gì", "được giao gì"): every row it appears in, as lead or coordinator.
      q.role = has(f, / (?:khong chu tri|chi (?:tham gia )?phoi hop|chi tham gia|la (?:co quan|don vi) phoi hop|chi la (?:co quan|don vi) phoi hop) /) ? "coordinator" : eitherWords || (coord && leadWords) ? "either" : coord ? "coordinator" : leadWords ? "lead" : "either";
      // In a question about reports, an agency after "gửi", "về", "cho", "lên" receives them.
      const reportQuestion = / bao cao /.test(f);
      const afterReportWord = (a: Mention) => reportQuestion && /(?:gui|gui ve|ve|cho|len|toi|nop|voi|bao cao)$/.test(sylls.slice(Math.max(0, a.start - 2), a.start).join(" "));
      // "báo cáo Ban Thường vụ Đảng ủy và Ban Chỉ đạo phường": the second receives too.
      const isRecipient = (a: Mention): boolean =>
        afterReportWord(a) || (reportQuestion && sylls[a.start - 1] === "va" && agencyOnly.some((b) => b.end === a.start - 1 && afterReportWord(b)));
      const entry = (a: Mention) => [a.id, { id: a.id, name: names.get(a.id) ?? a.text }] as const;
      q.recipients = [...new Map(agencyOnly.filter(isRecipient).map(entry)).values()];
      q.agencies = [...new Map(agencyOnly.filter((a) => !isRecipient(a)).map(entry)).values()];
      // "X báo cáo Đảng đoàn Quốc hội …": the issuer after a report word also receives the reports (it stays the scope).
      for (const a of agencyMentions) if (!agencyOnly.includes(a) && afterReportWord(a) && !q.recipients.some((r) => r.id === a.id)) q.recipients.push(entry(a)[1]);
      // Named by a former name: the answer says which agency does that work now.
      const renamed = agencyOnly.flatMap((a) => {
        const from = kb.agencies.find((x) => x.id === a.id)?.formerly?.find((n) => phraseKey(n) === a.text);
        return from ? [{ from, to: names.get(a.id) ?? a.text }] : [];
      });
      if (renamed.length) q.renamed = renamed;
      if (q.agencies.length > 1 && has(f, / (?:cung chu tri|ca hai|dong chu tri|cung phoi hop|deu chu tri|cung duoc giao) /)) q.agencyMode = "all";

      // 3. What is asked.
      const count = has(f, / (?:bao nhieu|may|so luong|tong so|tong cong) (?:nhiem vu|chi tieu|viec|nhom|muc|phu luc|to dang|co quan|don vi|phan|noi dung|hang muc|de an|he thong|cong viec|nhom nhiem vu) /);
      // "X báo cáo Đảng đoàn Quốc hội thế nào": a report with its recipient named is about the reporting duty.
      const dutyPhrase = has(
        f,
        / (?:bao cao (?:dinh ky|gui|nop|cho ai|ve dau|len dau|cho|ai|khi nao|truoc ngay|ngay nao|bao lau|may lan|hang|moi|6 thang|sau thang|nam|quy|thang|tong hop|ket qua|tinh hinh|tien do|len|nhung ai|voi|de xuat|so ket|tong ket|gi|theo)|phai bao cao|tong hop (?:bao cao|ket qua)|che do bao cao|nghia vu bao cao|han (?:nop|gui) bao cao|nop bao cao|gui bao cao|tong hop bao cao|ai tong hop|bao lau (?:mot|1) lan|may lan (?:mot|1) nam|dinh ky (?:the nao|ra sao|bao lau)) /,
      );
      const duties = / bao cao / .test(f) && (q.recipients.length > 0 || dutyPhrase);
      const overview = has(
        f,
        / (?:co nhung gi|gom nhung gi|gom nhung (?:phan|noi dung|muc|nhom)|bao gom|gom (?:may|nhung)|co may (?:phu luc|phan|muc)|noi dung chinh|tong quan|tom tat|ban hanh (?:ngay|khi|luc) nao|ngay ban hanh|ai ky|do ai ky|nguoi ky|ky ban hanh|co quan nao ban hanh|do (?:co quan|ai) (?:nao )?ban hanh|thuc hien (?:nghi quyet|van ban|ke hoach|quyet dinh|chi thi) nao|de thuc hien (?:ke hoach|nghi quyet)|trien khai (?:van ban|quyet dinh) nao|nhung phan nao|nhung nhom muc tieu|nhom muc tieu) /,
      );
      const status = has(f, / (?:tien do|tinh hinh thuc hien|da xong chua|xong chua|den dau roi|the nao roi|ra sao roi|da hoan thanh chua|bao cao moi nhat|cap nhat moi nhat) /) && !duties;
      const lead = leadWords || (!coord && has(f, / (?:ai|co quan nao|don vi nao|ben nao|noi nao|to dang nao|cap nao) /));
      const deadline = f.startsWith(" han ") || has(f, / (?:khi nao|bao gio|thoi han|han chot|han hoan thanh|thoi gian hoan thanh|thoi gian thuc hien|luc nao|ngay nao|han la|han nao|han cuoi|deadline|truoc ngay nao|thoi gian bao lau|trong bao lau|bao lau|hoan thanh khi) /);
      const strongTarget = has(f, / (?:chi tieu|muc tieu|bao nhieu phan tram|phan tram|dat bao nhieu|dat muc|phan dau dat|can dat|phai dat|dat ty le|la bao nhieu|bao nhieu %) /);
      const target = strongTarget || has(f, / (?:ty le|ti le|so luong|xep hang|chi so|ty trong|chiem bao nhieu) /) || (has(f, / bao nhieu /) && !count);
      const listAsk = has(
        f,
        / (?:nhiem vu nao|nhung nhiem vu|cac nhiem vu|nhiem vu gi|viec gi|viec nao|nhung viec|cac viec|lam gi|lam nhung gi|danh sach|liet ke|co nhiem vu|duoc giao gi|duoc giao nhung|duoc giao nhiem vu|giao nhung|giao gi|phu trach gi|phu trach nhung|chu tri gi|chu tri nhung|chu tri cac|chu tri viec|phoi hop nhung|phoi hop gi|phoi hop cac|phoi hop o|tham gia nhung|tham gia gi|trach nhiem gi|co trach nhiem|nhung gi|chi tieu nao|nhung chi tieu|cac chi tieu|he thong nao|nhung he thong|cai nao|o nhung|nhung luat|luat nao|nhung ke hoach|ke hoach nao|nhung noi dung) /,
      );
      const overdue = has(f, / (?:qua han|tre han|cham tien do|da het han|bi tre|tre hen|cham tre|da qua han) /);
      const { period, soon } = questionPeriod(raw, now, timeZone);
      q.period = period;
      if (overdue) q.state = "overdue";
      else if (soon) q.state = "due-soon";
      else if (has(f, / (?:hang nam|hang quy|hang thang|thuong xuyen|dinh ky) /) && !duties && listAsk) q.state = "recurring";
      else if (has(f, / co (?:thoi )?han (?:cu the|ro rang|xac dinh) /)) q.state = "dated";

      // Kinds of record.
      const kinds = new Set<RecordKind>();
      if (has(f, / (?:chi tieu|muc tieu) /)) kinds.add("indicator");
      if (has(f, / (?:nhiem vu|viec|cong viec|he thong|de an) /)) kinds.add("task");
      q.reports = has(f, / bao cao /);
      if (duties || has(f, / (?:phan|muc) to chuc thuc hien /)) kinds.add("duty");
      q.kinds = [...kinds];

      // A part of the plan: "nhóm III", "mục 2.2", "Phụ lục II", "phần II".
      const sec = / (?:nhom|muc|phan) ((?:[ivx]+|\d+(?: \d+)*|[a-hk-uy])) /.exec(f);
      if (sec && !/^(?:muc tieu)/.test(f.slice(sec.index + 1))) q.section = sec[1]!.replace(/ /g, ".");
      const app = / phu luc (?:so )?((?:[ivx]+|0?\d+)) /.exec(f);
      if (app) q.appendix = app[1]!;
      // "trong phụ lục" without a number: the plan's tables, not its running text.
      else if (/ (?:trong|o|cua|thuoc) (?:cac )?phu luc /.test(f)) q.appendix = "*";

      q.targetYear = / 2030 /.test(f) ? 2030 : target && / 2026 /.test(f) ? 2026 : undefined;
      q.page = Number(/ trang (\d{1,3}) /.exec(f)?.[1] ?? 1) || 1;

      // 4. The topic: the words left once scope, agencies, question phrases and periods are gone.
      const drop = new Array<boolean>(sylls.length).fill(false);
      for (const a of agencyMentions) for (let i = a.start; i < a.end; i++) drop[i] = true;
      for (const s of scopeSpans) for (let i = s.start; i < s.end; i++) drop[i] = true;
      for (let i = 0; i < sylls.length; i++) {
        for (const ph of PHRASE_LIST) {
          if (i + ph.length > sylls.length) continue;
          let ok = true;
          for (let j = 0; j < ph.length; j++) if (sylls[i + j] !== ph[j]) ok = false;
          if (ok) {
            for (let j = 0; j < ph.length; j++) drop[i + j] = true;
            break;
          }
        }
      }
      const kept = sylls.filter((w, i) => !drop[i]);
      const topic = kept
        .join(" ")
        .replace(/\b(?:quy (?:i{1,3}|iv|[1-4])|thang \d{1,2}|ngay \d{1,2}|trang \d+|(?:thang|quy|nam) (?:nay|toi|sau|truoc)|\d{1,2} \d{1,2} \d{4}|\d{1,2} \d{4}|20\d\d|nhom [ivx]+|muc \d+(?: \d+)*|phu luc [ivx\d]+)\b/g, " ")
        .replace(/\s+/g, " ")
        .trim();
      const content = topic.split(" ").filter((w) => w && !STOPWORDS.has(w) && !/^\d+$/.test(w));
      // In a list, references to documents ("QĐ 06/QĐ-TTg", "Quyết định số 2820") name the plan's basis, not a topic.
      const listTopic = topic
        .replace(/\b(?:quyet dinh|nghi quyet|thong bao|chi thi|cong van|ket luan)(?: so)?(?: \d+)+(?: (?:quyet dinh|nghi quyet|ttg|ubnd|uy ban nhan dan|cp|tw|bct|btc|kh|tu|ddqh\d*|thong bao|ket luan|cqttbcd|bcd))*\b/g, " ")
        .replace(/\b(?:ttg|qd|cp|tw|btc|ddqh15|ddqh)\b/g, " ");
      const listContent = listTopic.split(" ").filter((w) => w && !STOPWORDS.has(w) && !/^\d+$/.test(w) && !LIST_FILLER.has(w));

      // 5. The kind of answer.
      const demonstrative = has(f, / (?:do|ay|tren|cuoi cung)(?: nua)? $/) || has(f, / (?:viec|nhiem vu|uy ban|co quan|don vi|to dang|so|cai|nhom|may viec|nhung viec) (?:do|nay|tren|ay) /);
      const isFollowUp = FOLLOW_UP_START.test(f) || demonstrative || (sylls.length <= 6 && content.length <= 1 && !q.recordId);
      q.followUp = isFollowUp;
      // "ủy ban đó", "cơ quan đó": the agency of the previous answer.
      q.previousAgency = has(f, / (?:uy ban|co quan|don vi|to dang|so|ban) (?:do|nay|tren|ay) /) && agencyOnly.length === 0;
      q.standalone = q.scoped || agencyOnly.length > 0 || !!q.recordId || listContent.length >= 3;
      q.withinPrevious = has(f, / (?:trong (?:so )?do|trong nhung (?:viec|nhiem vu) (?:do|nay|tren)|viec nao trong do|may viec do|nhung viec do|cai nao) /) && (isFollowUp || !!period);
      let ask: Ask;
      // "Trước ngày nào Sở X phải …": a when-question about one of the agency's rows, not its list.
      const agencyList =
        q.agencies.length > 0 &&
        (listAsk || overdue || soon || !!period || (listContent.length === 0 && !deadline)) &&
        !(target && !listAsk) &&
        !((lead || deadline) && !listAsk && listContent.length >= 3);
      // "hạn khi nào" about a task named at length is about that task, even when its name holds a period ("giai đoạn 2026-2030").
      const namedTask = (deadline || lead || coord) && !listAsk && listContent.length >= 3;
      if (q.recordId && content.length <= 3 && !listAsk) ask = status ? "status" : lead && deadline ? "who_when" : coord && !lead ? "coordinators" : deadline ? "when" : lead ? "who" : target ? "target" : "what";
      else if (status && (q.recordId || content.length > 0)) ask = "status";
      else if (count && !has(f, / (?:may|bao nhieu) (?:lan) /)) ask = "count";
      else if (overview && q.scoped && q.agencies.length === 0 && listContent.length <= 4) ask = "overview";
      // "Hệ thống … báo cáo Công an tỉnh đến công an phường — giao ai?": a recipient-looking phrase inside a task named at length is the task's name.
      else if (duties && (!listAsk || has(f, / bao cao /)) && (dutyPhrase || !namedTask)) ask = "duties";
      else if (agencyList) ask = "list";
      else if (target && !listAsk && !lead && !deadline) ask = "target";
      else if ((overdue || soon || period || q.state) && !namedTask && (listAsk || deadline || listContent.length <= 1 || has(f, / (?:phai xong|can xong|phai hoan thanh|can hoan thanh|den han|het han) /)) && !(lead && !listAsk)) ask = "list";
      else if (listAsk && (q.scoped || q.section || q.appendix) && listContent.length <= 1) ask = "list";
      else if (target && !lead && !deadline) ask = "target";
      else if (listAsk && lead && listContent.length <= 3) ask = "list";
      else if (lead && deadline) ask = "who_when";
      else if (coord && !lead) ask = "coordinators";
      else if (lead) ask = "who";
      else if (deadline) ask = "when";
      else if (overview && q.scoped) ask = "overview";
      else if (listAsk && listContent.length <= 2 && (q.agencies.length || q.scoped)) ask = "list";
      else if (q.scoped && content.length === 0) ask = "overview";
      else ask = "topic";
      q.ask = ask;
      if (ask === "count") {
        if (has(f, / (?:bao nhieu|may) (?:nhom|muc|phan|phu luc|nhom nhiem vu) /) && !has(f, / (?:bao nhieu|may) (?:nhiem vu|chi tieu|viec) /)) q.countOf = "groups";
        else if (has(f, / (?:bao nhieu|may) (?:to dang|co quan|don vi) /)) q.countOf = "agencies";
      }
      q.topic = ask === "list" || ask === "count" ? listContent.join(" ") : ask === "duties" ? dutyTopic(topic) : topic;

      // "Sở Ngoại vụ chủ trì những nhiệm vụ nào": an agency-like name no plan knows.
      if ((ask === "list" || ask === "count" || ask === "duties") && q.agencies.length === 0) {
        // The subject of the question: at its start, or right after "giao cho", "của".
        const um = /^ (?:(?:cho|xin) hoi |theo ke hoach[^,]*, |trong ke hoach[^,]*, )?((?:so|ban|bo|phong|trung tam|uy ban|cuc|chi cuc|vien|hoi|tong cuc) (?:(?!chu tri|phoi hop|co |duoc |lam |phu trach|nhung |cac |tinh |thanh pho |tp )[a-z0-9]+ ){1,4})(?=chu tri|phoi hop|co |duoc |lam |phu trach|tinh |thanh pho |tp )|(?:giao cho|giao) ((?:so|ban|bo|phong|trung tam|uy ban|cuc|vien|tong cuc) (?:(?!nhung |cac |nhiem |viec |tinh |thanh pho )[a-z0-9]+ ){1,4})/.exec(f);
        if (um) {
          const name = (um[1] ?? um[2])!.trim();
          // Only when the words left are the name itself, not a topic that merely starts so.
          // "sở ngành bên em", "ban ngành mình", "sở, ban, ngành": the asker's own office, named generically.
          const generic = /^(?:so|ban|bo|phong|co quan|don vi)(?: (?:so|ban|nganh|dia phuong|don vi|co quan))* (?:nganh|ban nganh)\b|\b(?:ben|cua|chung) (?:em|toi|minh|tao)\b|\bminh\b/.test(name);
          if (!kb.agency(name) && !generic) q.unknownAgency = name;
        }
      }
      return q;
    },
  };
}
