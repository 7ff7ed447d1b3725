// /huy and /quaylai: they reach here only when no form is open (an open form
// hears them first, through FormInput "control").
import type { Command } from "../feature.js";

const NO_FORM = "Bạn không có biểu mẫu nào đang mở.";

export const cancelCommand: Command = {
  name: "huy",
  aliases: ["hủy", "huỷ", "cancel"],
  summary: "Hủy biểu mẫu đang điền",
  help: "Gõ /huy để hủy biểu mẫu đang điền (chưa lưu gì).",
  run: ({ forms }) => [{ text: forms.cancel() ? "Đã hủy, chưa lưu gì." : NO_FORM }],
};

export const backCommand: Command = {
  name: "quaylai",
  aliases: ["quay lại", "quay lai", "back"],
  summary: "Quay lại câu hỏi trước của biểu mẫu",
  help: "Gõ /quaylai khi đang điền biểu mẫu để sửa câu trả lời trước.",
  run: async ({ forms }) => (await forms.back()) ?? [{ text: NO_FORM }],
};
