// Notices for other chats go out through the running channels' outboxes. A
// channel that is not running, or a send that does not get through, is logged
// and skipped: a notice never breaks the turn that caused it.
import type { Logger } from "../log.js";
import type { ChannelName, Notice, Outbox } from "./types.js";

export function createNotifier(outboxes: Partial<Record<ChannelName, Outbox>>, log?: Logger): (notices: Notice[]) => Promise<void> {
  return async (notices) => {
    for (const n of notices) {
      const outbox = outboxes[n.channel];
      if (!outbox) {
        log?.info("notice skipped: channel not running", { channel: n.channel });
        continue;
      }
      try {
        const d = await outbox.send(n.chatId, n.messages);
        if (d.status !== "delivered") log?.warn("notice not delivered", { channel: n.channel, chat: n.chatId, status: d.status, error: d.error });
      } catch (err) {
        log?.warn("notice not delivered", { err, channel: n.channel, chat: n.chatId });
      }
    }
  };
}
