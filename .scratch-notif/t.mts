import { fileMailer, readMailFile, listMailFiles } from '/work/main/src/domain/notifications/mailer.ts';
const m = fileMailer('/tmp/mailtest');
await m.send({ messageId: '<outbox-7@example.com>', from: 'CasanovaSpace <orders@casanovaspace.com>', replyTo: 'help@x.com', to: 'jane@example.com', subject: 'Order CS-1 confirmed – ünïcode “quotes” and a rather long subject line that needs folding across lines ✓', html: '<p>Héllo – world</p>'.repeat(50), text: 'Héllo – world\n'.repeat(30) });
console.log(await listMailFiles('/tmp/mailtest', 10));
const f = await readMailFile('/tmp/mailtest', 'outbox-7.eml');
console.log(f.subject, f.html?.slice(0, 60), f.text?.slice(0, 30));
