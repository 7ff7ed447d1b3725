// /bangdieukhien: in a private chat, a one-time link into the progress dashboard.
import type { Command } from "../../core/feature.js";
import { viDateTime } from "../progress/index.js";
import type { People } from "../people/index.js";
import type { SignIn } from "./signin.js";

export const BANGDIEUKHIEN_HELP = [
  "Mở bảng điều khiển tiến độ trên điện thoại hoặc máy tính: gõ /bangdieukhien trong chat riêng với bot.",
  "Bot gửi một liên kết đăng nhập, dùng được một lần, hết hạn sau 10 phút; phiên làm việc kéo dài 8 giờ.",
  "Quản trị viên xem mọi nhiệm vụ; cán bộ đã được duyệt xem nhiệm vụ cơ quan mình chủ trì hoặc phối hợp.",
].join("\n");

export function createBangdieukhien(deps: { signIn: SignIn; people: People; timeZone: string }): Command {
  return {
    name: "bangdieukhien",
    aliases: ["bảng điều khiển", "bang dieu khien", "dashboard"],
    summary: "Liên kết mở bảng điều khiển tiến độ (trang web)",
    help: BANGDIEUKHIEN_HELP,
    run(ctx) {
      if (ctx.turn.chatType !== "private") {
        return [{ text: "Liên kết đăng nhập bảng điều khiển chỉ gửi trong chat riêng. Anh/chị hãy nhắn /bangdieukhien cho bot trong chat riêng." }];
      }
      const r = deps.signIn.issue(ctx.turn, ctx.turn.channel, ctx.now);
      if (!r.ok) return [{ text: r.reason }];
      const scope = r.access.scope.kind === "all" ? "toàn bộ nhiệm vụ" : `nhiệm vụ của ${deps.people.agencyName(r.access.scope.agencyId)}`;
      return [
        {
          text: [
            `Bảng điều khiển tiến độ (${scope}):`,
            r.url,
            `Liên kết dùng một lần, hết hạn lúc ${viDateTime(r.expiresAt.toISOString(), deps.timeZone).slice(11)} (sau 10 phút). Đừng chuyển liên kết này cho người khác.`,
          ].join("\n"),
        },
      ];
    },
  };
}
