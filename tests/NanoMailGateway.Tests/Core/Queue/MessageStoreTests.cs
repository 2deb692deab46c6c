using System;
using System.Linq;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Queue
{
    public sealed class MessageStoreTests
    {
        private const long Capacity = 192 * 1024;

        private static QueueOptions Options(int maxMessages = 64) => new QueueOptions(Capacity, 16384, 2048, 3 * 16384, maxMessages, 4);

        private static Envelope Env(string sender = "alarm@sensor.lan", int rcpts = 1)
        {
            var e = new Envelope(sender);
            for (int i = 0; i < rcpts; i++) e.AddRecipient(new EnvelopeRecipient("ops" + i + "@example.com", false, DsnNotify.Unspecified, null));
            return e;
        }

        private static byte[] Body(int size, int seed = 1)
        {
            var b = new byte[size];
            new Random(seed).NextBytes(b);
            return b;
        }

        private static QueuedMessage Put(MessageStore s, byte[] body, Envelope? env = null, int chunk = 1000)
        {
            var w = s.BeginMessage(env ?? Env())!;
            Assert.NotNull(w);
            for (int o = 0; o < body.Length; o += chunk) Assert.True(w.Write(body, o, Math.Min(chunk, body.Length - o)));
            w.Commit();
            return s.Find(w.QueueId)!;
        }

        private static MessageStore Reopen(FlashSimulator sim, MessageStore old, QueueOptions? o = null)
        {
            old.Close();
            sim.Reboot();
            return MessageStore.Open(sim, o ?? Options(), new StepClock());
        }

        [Fact]
        public void A_message_reads_back_at_any_position_in_any_chunk_size()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            byte[] body = Body(70_000);                          // spans several segments
            var m = Put(s, body, chunk: 777);
            Assert.Equal(body.Length, m.Size);
            Assert.Equal(body, PowerLossTests.Model.ReadAll(s, m));
            var r = s.OpenReader(m);
            var rnd = new Random(5);
            byte[] buf = new byte[5000];
            for (int i = 0; i < 200; i++)
            {
                long pos = rnd.Next(body.Length);
                int n = r.Read(pos, buf, 3, rnd.Next(1, 4997));
                Assert.True(n > 0);
                Assert.True(buf.AsSpan(3, n).SequenceEqual(body.AsSpan((int)pos, n)));
            }
            Assert.Equal(0, r.Read(body.Length, buf, 0, 10));
            s = Reopen(sim, s);
            Assert.Equal(body, PowerLossTests.Model.ReadAll(s, s.GetMessages().Single()));
        }

        [Fact]
        public void The_envelope_survives_a_restart_field_by_field()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var clock = new StepClock();
            var s = MessageStore.Open(sim, Options(), clock);
            var e = new Envelope("dev\u00e9@sensor.lan")
            {
                EnvelopeId = "QQ314159", Return = DsnReturn.Headers, EightBitMime = true, DeclaredSize = 12345,
                ClientAddress = "192.0.2.7", ClientHelo = "sensor7.lan", AuthenticatedUser = "sensor7",
            };
            e.AddRecipient(new EnvelopeRecipient("a@example.com", false, DsnNotify.Success | DsnNotify.Failure, "rfc822;a@example.com"));
            e.AddRecipient(new EnvelopeRecipient("postmaster@gw.lan", true, DsnNotify.Never, null));
            var m = Put(s, Body(10), e);
            Assert.Equal(clock.UtcNow, m.ArrivalUtc);
            s = Reopen(sim, s);
            var g = s.GetMessages().Single().Envelope;
            Assert.Equal(e.Sender, g.Sender);
            Assert.Equal("QQ314159", g.EnvelopeId);
            Assert.Equal(DsnReturn.Headers, g.Return);
            Assert.True(g.EightBitMime);
            Assert.Equal(12345, g.DeclaredSize);
            Assert.Equal("192.0.2.7", g.ClientAddress);
            Assert.Equal("sensor7.lan", g.ClientHelo);
            Assert.Equal("sensor7", g.AuthenticatedUser);
            Assert.Equal(clock.UtcNow.Ticks, g.ArrivalUtc.Ticks);
            Assert.Equal(2, g.RecipientCount);
            Assert.Equal(DsnNotify.Success | DsnNotify.Failure, g.GetRecipient(0).Notify);
            Assert.Equal("rfc822;a@example.com", g.GetRecipient(0).OriginalRecipient);
            Assert.False(g.GetRecipient(0).IsLocal);
            Assert.True(g.GetRecipient(1).IsLocal);
            Assert.Null(g.GetRecipient(1).OriginalRecipient);
            Assert.Equal(DsnNotify.Never, g.GetRecipient(1).Notify);
        }

        [Fact]
        public void Aborted_and_unfinished_messages_are_invisible_after_restart()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            var a = s.BeginMessage(Env())!;
            a.Write(Body(9000), 0, 9000);
            a.Abort();
            a.Abort();                                           // safe twice
            var open = s.BeginMessage(Env())!;
            open.Write(Body(5000), 0, 5000);
            var kept = Put(s, Body(300));                        // its flush also flushes the others' pieces
            Assert.Equal(1, s.Count);
            s = Reopen(sim, s);
            Assert.Equal(new[] { kept.QueueId }, s.GetMessages().Select(m => m.QueueId));
        }

        [Fact]
        public void Commit_is_one_flush_and_appends_are_whole_write_units()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            long w0 = sim.WriteCount, f0 = sim.SyncCount;
            Put(s, Body(10_000), chunk: 100);
            Assert.Equal(1, sim.SyncCount - f0);
            // Its message file: the header, four full units (2024 bytes of data each), the
            // last 1904 bytes with the Commit record (two writes).
            Assert.Equal(7, sim.WriteCount - w0);
        }

        [Fact]
        public void Statuses_are_appended_and_the_latest_survives_a_restart()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var clock = new StepClock();
            var s = MessageStore.Open(sim, Options(), clock);
            var m = Put(s, Body(100), Env(rcpts: 3));
            DateTime later = clock.UtcNow.AddMinutes(30);
            s.Defer(m, 0, later, "4.4.1", "connection timed out");
            s.Defer(m, 0, later.AddMinutes(30), "4.4.2", "connection dropped");
            s.MarkDelivered(m, 1, "2.0.0", "250 ok");
            var mb = s.SetStatus(m, 2, new RecipientStatus(RecipientState.InMailbox, 1, DateTime.MinValue, "2.0.0", "", "postmaster", 0));
            Assert.True(mb.Uid > m.Id, "the UID comes from the sequence counter");
            Assert.False(s.Remove(m));                            // not all final
            Assert.Single(s.GetDue(clock.UtcNow.AddHours(2)));
            Assert.Empty(s.GetDue(clock.UtcNow));
            Assert.Equal(later.AddMinutes(30), s.NextDueUtc());
            s = Reopen(sim, s);
            m = s.GetMessages().Single();
            Assert.Equal(RecipientState.Deferred, m.GetStatus(0).State);
            Assert.Equal(2, m.GetStatus(0).Attempts);
            Assert.Equal("4.4.2", m.GetStatus(0).Code);
            Assert.Equal("connection dropped", m.GetStatus(0).Text);
            Assert.Equal(later.AddMinutes(30).Ticks, m.GetStatus(0).NextAttemptUtc.Ticks);
            Assert.Equal(RecipientState.Delivered, m.GetStatus(1).State);
            Assert.Equal(RecipientState.InMailbox, m.GetStatus(2).State);
            Assert.Equal(mb.Uid, m.GetStatus(2).Uid);
            Assert.Equal("postmaster", m.GetStatus(2).Mailbox);
            s.MarkFailed(m, 0, "5.4.7", "delivery time expired");
            s.SetStatus(m, 2, new RecipientStatus(RecipientState.Expunged, 1, DateTime.MinValue, "", "", "postmaster", mb.Uid));
            Assert.True(s.Remove(m));
            Assert.Throws<InvalidOperationException>(() => s.OpenReader(m).Read(0, new byte[10], 0, 10));
            s = Reopen(sim, s);
            Assert.Equal(0, s.Count);
        }

        [Fact]
        public void Filling_the_store_refuses_early_keeps_a_reserve_for_bounces_and_space_comes_back()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var o = Options();
            var s = MessageStore.Open(sim, o, new StepClock());
            var kept = new System.Collections.Generic.List<QueuedMessage>();
            byte[] body = Body(8000);
            while (s.HasRoomFor(body.Length)) kept.Add(Put(s, body));
            // Each in a message file of three whole 4 KiB blocks: 144 KB above the reserve.
            Assert.True(kept.Count >= 12, "only " + kept.Count + " messages of 8000 bytes fit in 192 KB");
            // A listener that does not ask first is stopped by Write returning false.
            var w = s.BeginMessage(Env());
            if (w != null)
            {
                bool ok = true;
                for (int i = 0; i < 10 && ok; i++) ok = w.Write(body, 0, body.Length);
                Assert.False(ok);
                Assert.Throws<StorageException>(() => w.Commit());
                Assert.Equal(0, s.OpenWriters);          // the refused writer let go of its slot and pieces
            }
            Assert.True(Capacity - sim.UsedBytes >= o.CompactionReserve, "the reserve is intact: used " + sim.UsedBytes);
            // A bounce still goes in.
            var bounce = s.BeginLocalMessage(Env(""))!;
            Assert.NotNull(bounce);
            Assert.True(bounce.Write(body, 0, 4000));
            bounce.Commit();
            // Status records still go in; space comes back as messages leave.
            foreach (var m in kept)
            {
                s.MarkDelivered(m, 0, "2.0.0", "250 ok");
                Assert.True(s.Remove(m));
            }
            Assert.True(s.HasRoomFor(body.Length));
            Assert.True(sim.UsedBytes <= 3 * 16384 + 4096, "dead segments were deleted: used " + sim.UsedBytes);
            Put(s, body);
        }

        [Fact]
        public void The_index_is_bounded_and_keeps_entries_for_local_mail()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(maxMessages: 8), new StepClock());
            int n = 0;
            while (s.BeginMessage(Env()) is { } w)
            {
                w.Commit();
                n++;
            }
            Assert.Equal(7, n);                                  // 8 minus one kept for bounces
            Assert.False(s.HasRoomFor(10));
            var b = s.BeginLocalMessage(Env(""));
            Assert.NotNull(b);
            Assert.Null(s.BeginLocalMessage(Env("")));
            b!.Abort();
        }

        [Fact]
        public void Ids_are_never_reused_even_after_the_queue_empties_and_restarts()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            long last = 0;
            for (int round = 0; round < 5; round++)
            {
                for (int i = 0; i < 8; i++)
                {
                    var m = Put(s, Body(6000));
                    Assert.True(m.Id > last);
                    last = m.Id;
                    s.MarkDelivered(m, 0, "2.0.0", "ok");
                    s.Remove(m);
                }
                s = Reopen(sim, s);
                Assert.Equal(0, s.Count);
                Assert.True(s.NextSequence > last);
            }
            Assert.True(sim.UsedBytes <= 3 * 16384, "old segments go away: used " + sim.UsedBytes);
        }

        [Fact]
        public void A_torn_tail_is_dropped_and_never_appended_after()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            var m = Put(s, Body(3000));
            s.Close();
            string seg = sim.List().Single();
            var f = sim.Open(seg, false)!;
            f.Append(new byte[] { 0x51, 3, 0xFF, 0x00, 1, 2, 3 }, 0, 7);     // a torn record header
            f.Sync();
            long tornLength = sim.LengthOf(seg);
            sim.Reboot();
            s = MessageStore.Open(sim, Options(), new StepClock());
            Assert.Equal(m.QueueId, s.GetMessages().Single().QueueId);
            var m2 = Put(s, Body(100));
            Assert.Equal(tornLength, sim.LengthOf(seg));
            Assert.Equal(2, sim.List().Length);
            s = Reopen(sim, s);
            Assert.Equal(new[] { m.QueueId, m2.QueueId }, s.GetMessages().Select(x => x.QueueId));
        }

        [Fact]
        public void Unknown_record_types_with_a_good_crc_are_skipped()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            var m = Put(s, Body(100));
            long next = s.NextSequence;
            s.Close();
            // A record of a future type 0x77 (say, a mailbox record) with 5 payload bytes.
            byte[] r = new byte[12 + 5 + 4];
            r[0] = 0x51; r[1] = 0x77; r[2] = 5;
            BitConverter.GetBytes(next + 10).CopyTo(r, 4);
            uint crc = Crc32.Compute(r, 0, 17);
            BitConverter.GetBytes(crc).CopyTo(r, 17);
            var f = sim.Open(sim.List().Single(), false)!;
            f.Append(r, 0, r.Length);
            f.Sync();
            sim.Reboot();
            s = MessageStore.Open(sim, Options(), new StepClock());
            Assert.Equal(m.QueueId, s.GetMessages().Single().QueueId);
            Assert.Equal(next + 11, s.NextSequence);             // its sequence number still counts
        }

        [Fact]
        public void Read_only_open_changes_nothing()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            Put(s, Body(5000));
            var open = s.BeginMessage(Env())!;
            open.Write(Body(3000), 0, 3000);                     // unflushed tail in the file
            long writes = sim.WriteCount;
            string[] files = sim.List();
            var ro = MessageStore.OpenReadOnly(sim, new StepClock());
            Assert.Equal(1, ro.Count);
            Assert.Equal(writes, sim.WriteCount);
            Assert.Equal(files, sim.List());
            Assert.False(ro.HasRoomFor(1));
            Assert.Throws<InvalidOperationException>(() => ro.BeginMessage(Env()));
        }

        [Fact]
        public void A_message_files_statuses_outlive_the_shared_segments_they_were_written_in()
        {
            // Its Commit is in its own file, its Status records in the shared segments: when the
            // segment holding one is otherwise dead and the oldest, the status must not go with it.
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            var stuck = Put(s, Body(30_000, 9));
            s.Defer(stuck, 0, new DateTime(2031, 1, 1, 0, 0, 0, DateTimeKind.Utc), "4.4.1", "no route");
            // The shared segment its Status record went to (message files are named 4xxxxxxx).
            string first = sim.List().Where(n => n.StartsWith("q0")).Max()!;
            for (int i = 0; i < 40; i++)
            {
                var m = Put(s, Body(1500, i));
                s.MarkDelivered(m, 0, "2.0.0", "ok");
                s.Remove(m);
            }
            Assert.DoesNotContain(first, sim.List());
            s = Reopen(sim, s);
            RecipientStatus st = s.GetMessages().Single().GetStatus(0);
            Assert.Equal(RecipientState.Deferred, st.State);
            Assert.Equal("no route", st.Text);
            Assert.Equal(Body(30_000, 9), PowerLossTests.Model.ReadAll(s, s.GetMessages().Single()));
            Assert.Equal(0, s.RecoveryDropped);
        }

        [Theory]
        [InlineData(1500, 1800)]        // both in the shared segments
        [InlineData(30_000, 1800)]      // the stuck one in its message file: only its Commit record is copied
        [InlineData(3000, 6000)]        // all in message files: nothing in the shared segments to copy
        public void A_long_deferred_message_does_not_pin_the_store(int stuckSize, int size)
        {
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            var stuck = Put(s, Body(stuckSize, 9));
            s.Defer(stuck, 0, DateTime.MaxValue, "4.4.1", "no route");
            for (int i = 0; i < 200; i++)
            {
                Assert.True(s.HasRoomFor(size), "refused at message " + i + ", used " + sim.UsedBytes);
                var m = Put(s, Body(size, i));
                s.MarkDelivered(m, 0, "2.0.0", "ok");
                s.Remove(m);
            }
            // The dead segments behind it go out of order (cost-benefit cleaning): it is never even copied.
            if (size < 2000) Assert.True(s.DeletedOutOfOrder > 0);
            // (One in its message file may have its Commit record copied: its statuses are in the shared segments.)
            if (stuckSize < 2000) Assert.Equal(0, s.Relocations);
            s = Reopen(sim, s);
            Assert.Equal(Body(stuckSize, 9), PowerLossTests.Model.ReadAll(s, s.GetMessages().Single()));
            Assert.Equal("no route", s.GetMessages().Single().GetStatus(0).Text);
            Assert.Equal(0, s.RecoveryDropped);
        }
    
        [Fact]
        public void An_envelope_whose_commit_record_cannot_fit_a_segment_is_refused_up_front()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            var huge = new Envelope("a@b.c");
            for (int i = 0; i < 200; i++) huge.AddRecipient(new EnvelopeRecipient(new string('x', 60) + i + "@example.com", false, DsnNotify.Unspecified, null));
            Assert.Null(s.BeginMessage(huge));
            // RFC 5321 §4.5.3.1.8: at least 100 recipients must be accepted.
            var env = new Envelope("a@b.c");
            for (int i = 0; i < 100; i++) env.AddRecipient(new EnvelopeRecipient("user" + i + "@example.com", false, DsnNotify.Failure, "rfc822;user" + i + "@example.com"));
            var w = s.BeginMessage(env);
            Assert.NotNull(w);
            w!.Write(Body(30_000), 0, 30_000);
            w.Commit();
        }

        [Fact]
        public void Long_status_texts_are_cut_and_relocation_still_fits()
        {
            // 4 KB segments: 15 recipients with 200-character texts do not fit one record.
            var sim = new FlashSimulator(PowerLossTests.Capacity, 1);
            var o = PowerLossTests.SmallOptions();
            var s = MessageStore.Open(sim, o, new StepClock());
            var stuck = Put(s, Body(1500, 3), Env(rcpts: 15), chunk: 200);
            for (int r = 0; r < 15; r++) s.Defer(stuck, r, DateTime.MaxValue, new string('4', 300), new string('t', 5000));
            Assert.Equal(MessageStore.MaxStatusText, stuck.GetStatus(0).Text.Length);
            Assert.Equal(MessageStore.MaxStatusCode, stuck.GetStatus(0).Code.Length);
            // Short messages (one 256-byte unit) fill the shared segments its statuses are in.
            for (int i = 0; i < 120; i++)
            {
                Assert.True(s.HasRoomFor(200), "refused at " + i + ": used " + sim.UsedBytes + ", segments " + s.SegmentCount + ", relocations " + s.Relocations);
                var m = Put(s, Body(200, i), chunk: 200);
                s.MarkDelivered(m, 0, "2.0.0", "ok");
                s.Remove(m);
            }
            Assert.True(s.Relocations > 0);
            s = Reopen(sim, s, o);
            var back = s.GetMessages().Single();
            Assert.Equal(Body(1500, 3), PowerLossTests.Model.ReadAll(s, back));
            for (int r = 0; r < 15; r++)
            {
                Assert.Equal(RecipientState.Deferred, back.GetStatus(r).State);
                Assert.Equal(1, back.GetStatus(r).Attempts);
                Assert.Equal(new string('t', 32), back.GetStatus(r).Text);
            }
        }

        [Fact]
        public void Statuses_of_one_attempt_can_share_one_flush()
        {
            var sim = new FlashSimulator(Capacity, 1) { Loss = UnflushedLoss.DropAll };
            var s = MessageStore.Open(sim, Options(), new StepClock());
            var m = Put(s, Body(100), Env(rcpts: 3));
            long f0 = sim.SyncCount;
            for (int r = 0; r < 3; r++) s.SetStatus(m, r, new RecipientStatus(RecipientState.Delivered, 1, DateTime.MinValue, "2.0.0", "ok", "", 0), false);
            Assert.Equal(f0, sim.SyncCount);
            Assert.True(m.AllFinal);
            sim.CutPowerNow();                                   // unflushed: forgotten, the message stays queued
            sim.Reboot();
            s = MessageStore.Open(sim, Options(), new StepClock());
            m = s.GetMessages().Single();
            Assert.Equal(RecipientState.Queued, m.GetStatus(2).State);
            for (int r = 0; r < 3; r++) s.SetStatus(m, r, new RecipientStatus(RecipientState.Delivered, 1, DateTime.MinValue, "2.0.0", "ok", "", 0), false);
            s.Flush();
            Assert.Equal(1, sim.SyncCount - f0);
            sim.CutPowerNow();
            sim.Reboot();
            s = MessageStore.Open(sim, Options(), new StepClock());
            Assert.True(s.GetMessages().Single().AllFinal);
        }
    }
}
