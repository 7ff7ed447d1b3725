// /batdau: what the bot is for and how to talk to it.
import type { Command } from "../feature.js";

export const startCommand: Command = {
  name: "batdau",
  aliases: ["bắt đầu", "start"],
  summary: "Giới thiệu và cách dùng",
  help: "Cách dùng: /batdau\nGiới thiệu Trợ lý Kế hoạch và các câu hỏi mẫu.",
  run({ turn }) {
    const hello = turn.userName.trim() ? `Xin chào ${turn.userName.trim().slice(0, 40)}!` : "Xin chào!";
    const how =
      turn.chatType === "group"
        ? "Trong nhóm, hãy nhắc tên tôi (@) hoặc dùng lệnh, ví dụ:\n/hoi Nhiệm vụ BN-7.22 do cơ quan nào chủ trì?"
        : "Anh/chị cứ gõ câu hỏi, ví dụ:\n• Nhiệm vụ BN-7.22 do cơ quan nào chủ trì?\n• Sở KH&CN có những nhiệm vụ nào?\n• Nhiệm vụ nào đến hạn tháng 6/2026?";
    return [
      {
        text: [
          hello,
          "Tôi là Trợ lý Kế hoạch: tra cứu nhiệm vụ, cơ quan chủ trì, phối hợp và thời hạn trong các kế hoạch thực hiện Nghị quyết 57.",
          "",
          how,
          "",
          "Gõ /huongdan để xem tất cả các lệnh.",
        ].join("\n"),
      },
    ];
  },
};
