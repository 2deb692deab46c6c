// ConnectionListener: fixed session slots, refusal with the protocol's busy line when
// the slots or the buffers run out, clean bounded stop.

using System;
using System.Collections.Concurrent;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Tests.Core.Smtp;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Listener
{
    public class ConnectionListenerTests
    {
        private sealed class QueueListener : ITcpListener
        {
            private readonly BlockingCollection<IConnection?> _pending = new BlockingCollection<IConnection?>();
            public string LocalEndPoint => "memory:25";
            public int LocalPort => 25;
            public void Add(IConnection c) => _pending.Add(c);
            public IConnection? Accept() => _pending.Take();
            public bool Poll(int timeoutMs) => SpinWait.SpinUntil(() => _pending.Count > 0, timeoutMs);
            public void Close() => _pending.Add(null);
        }

        private static MemoryConnection Dial(QueueListener l)
        {
            MemoryConnection.CreatePair("198.51.100.9", "192.0.2.1", out MemoryConnection client, out MemoryConnection server);
            l.Add(server);
            return client;
        }

        private static string Read(MemoryConnection c, int timeoutMs = 5000)
        {
            var buf = new byte[4096];
            var sb = new StringBuilder();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < timeoutMs)
            {
                int n = c.Receive(buf, 0, buf.Length, 200);
                if (n == 0) break;
                if (n > 0)
                {
                    sb.Append(Encoding.Latin1.GetString(buf, 0, n));
                    if (sb.ToString().EndsWith("\r\n", StringComparison.Ordinal)) break;
                }
            }
            return sb.ToString();
        }

        private static bool ClosedSoon(MemoryConnection c)
        {
            var buf = new byte[4096];
            for (int i = 0; i < 50; i++)
            {
                int n = c.Receive(buf, 0, buf.Length, 100);
                if (n == 0) return true;
            }
            return false;
        }

        [Fact]
        public void SessionOverTheSlotLimitIsRefusedAndStopIsBounded()
        {
            var h = new SmtpHarness();
            var l = new QueueListener();
            var listener = new ConnectionListener(l, h.CreateServer(), 2, h.Log);
            listener.Start();
            var a = Dial(l);
            var b = Dial(l);
            Assert.StartsWith("220 ", Read(a));
            Assert.StartsWith("220 ", Read(b));
            var c = Dial(l);
            Assert.Equal("421 4.3.2 Too many connections, try again later\r\n", Read(c));
            Assert.True(ClosedSoon(c));
            Assert.Equal(2, listener.Active);
            Assert.Equal(1, listener.Refused);

            // a slot frees up when a session ends
            a.Send(Encoding.ASCII.GetBytes("QUIT\r\n"), 0, 6, 1000);
            Assert.StartsWith("221 ", Read(a));
            Assert.True(ClosedSoon(a));
            for (int i = 0; i < 50 && listener.Active != 1; i++) Thread.Sleep(20);
            var d = Dial(l);
            Assert.StartsWith("220 ", Read(d));
            Assert.Equal(3, listener.Accepted);

            // b and d idle: Stop must abort them within its bound
            var sw = System.Diagnostics.Stopwatch.StartNew();
            Assert.True(listener.Stop(300));
            Assert.InRange(sw.ElapsedMilliseconds, 0, 3000);
            Assert.Equal(0, listener.Active);
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void StopDuringDataKeepsNothing()
        {
            var h = new SmtpHarness();
            var l = new QueueListener();
            var listener = new ConnectionListener(l, h.CreateServer(), 2, h.Log);
            listener.Start();
            var a = Dial(l);
            Assert.StartsWith("220 ", Read(a));
            byte[] cmds = Encoding.ASCII.GetBytes("EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@gw.example.net>\r\nDATA\r\n");
            a.Send(cmds, 0, cmds.Length, 1000);
            string replies = "";
            for (int i = 0; i < 20 && !replies.Contains("354 ", StringComparison.Ordinal); i++) replies += Read(a);
            Assert.Contains("354 ", replies);
            byte[] part = Encoding.ASCII.GetBytes("Subject: half\r\n\r\nhalf");
            a.Send(part, 0, part.Length, 1000);
            Assert.True(listener.Stop(200));
            Assert.Empty(h.Store.Committed());
            Assert.Equal(1, h.Store.Aborted);
            Assert.Equal(0, h.Pool.InUse);
        }

        // Wraps a real factory; its first TryCreate throws as a board's would when the heap
        // cannot hold one more session.
        private sealed class FailingOnceFactory : ISessionFactory
        {
            private readonly ISessionFactory _inner;
            private int _calls;
            public FailingOnceFactory(ISessionFactory inner) { _inner = inner; }
            public string Component => _inner.Component;
            public ISession? TryCreate(IConnection connection, int sessionId)
            {
                if (Interlocked.Increment(ref _calls) == 1) throw new OutOfMemoryException("no heap for a session");
                return _inner.TryCreate(connection, sessionId);
            }
            public void Refuse(IConnection connection) => _inner.Refuse(connection);
        }

        [Fact]
        public void AFailedDispatchDropsThatConnectionAndTheListenerKeepsAccepting()
        {
            // On the interpreter an exception leaving the accept thread would end it silently.
            var h = new SmtpHarness();
            var l = new QueueListener();
            var listener = new ConnectionListener(l, new FailingOnceFactory(h.CreateServer()), 2, h.Log);
            listener.Start();
            var dropped = Dial(l);
            Assert.True(ClosedSoon(dropped));
            var next = Dial(l);
            Assert.StartsWith("220 ", Read(next));
            Assert.True(h.Log.Contains("dropped, System.OutOfMemoryException: no heap for a session"), string.Join("\n", h.Log.Lines));
            Assert.True(listener.Stop(300));
            Assert.Equal(0, h.Pool.InUse);
        }

        // An accept that fails as a board's socket layer can when the heap is short.
        private sealed class OutOfHeapOnceListener : ITcpListener
        {
            private readonly QueueListener _inner;
            private int _calls;
            public OutOfHeapOnceListener(QueueListener inner) { _inner = inner; }
            public string LocalEndPoint => _inner.LocalEndPoint;
            public int LocalPort => _inner.LocalPort;
            public IConnection? Accept()
            {
                if (Interlocked.Increment(ref _calls) == 1) throw new OutOfMemoryException("no heap for a socket");
                return _inner.Accept();
            }
            public bool Poll(int timeoutMs) => _calls == 0 || _inner.Poll(timeoutMs);
            public void Close() => _inner.Close();
        }

        // A log whose every line fails, as building one can when the heap is exhausted.
        private sealed class OutOfHeapLog : ILog
        {
            public int Attempts;
            public volatile bool Armed;   // after Start: the caller's own thread may see errors
            public void Write(string component, int session, string text)
            {
                if (!Armed) return;
                Interlocked.Increment(ref Attempts);
                throw new OutOfMemoryException("no heap for a log line");
            }
        }

        [Fact]
        public void AnAcceptThatRunsOutOfHeapDoesNotEndTheAcceptThread()
        {
            var h = new SmtpHarness();
            var l = new QueueListener();
            var listener = new ConnectionListener(new OutOfHeapOnceListener(l), h.CreateServer(), 2, h.Log);
            listener.Start();
            var c = Dial(l);
            Assert.StartsWith("220 ", Read(c));
            Assert.True(h.Log.Contains("accept failed: System.OutOfMemoryException: no heap for a socket"), string.Join("\n", h.Log.Lines));
            Assert.True(listener.Stop(300));
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void ALogLineThatCannotBeBuiltInAHandlerDoesNotEndTheAcceptThread()
        {
            var h = new SmtpHarness();
            var l = new QueueListener();
            var log = new OutOfHeapLog();
            var listener = new ConnectionListener(l, new FailingOnceFactory(h.CreateServer()), 2, log);
            listener.Start();
            log.Armed = true;
            var dropped = Dial(l);
            Assert.True(ClosedSoon(dropped));
            var next = Dial(l);
            Assert.StartsWith("220 ", Read(next));
            Assert.True(log.Attempts >= 1, "the handler tried to log");
            Assert.True(listener.Stop(300));
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void SessionWithoutBuffersIsRefused()
        {
            var h = new SmtpHarness { Pool = new BufferPool("smtp", 1024, SmtpServer.BuffersPerSession + 1) }; // one session's worth
            var l = new QueueListener();
            var listener = new ConnectionListener(l, h.CreateServer(), 4, h.Log);
            listener.Start();
            var a = Dial(l);
            Assert.StartsWith("220 ", Read(a));
            var b = Dial(l);
            Assert.Equal("421 4.3.2 Too many connections, try again later\r\n", Read(b));
            Assert.True(ClosedSoon(b));
            Assert.True(h.Log.Contains("refused, no buffers"));
            Assert.Equal(SmtpServer.BuffersPerSession, h.Pool.InUse);
            Assert.True(listener.Stop(300));
            Assert.Equal(0, h.Pool.InUse);
        }
    }
}
