import { fold } from "./src/text/vietnamese.ts";
const t = "Trung tâm Chuyển đổi số Thành phố chủ trì, phối hợp với Công an Thành phố và các đơn vị có liên quan đảm bảo kết nối";
console.log(/chu tri,?\s*phoi hop voi\s+/.exec(fold(t)));
