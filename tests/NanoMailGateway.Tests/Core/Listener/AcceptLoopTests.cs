// AcceptLoop: one accept thread serving several ConnectionListeners. It must wait on the
// sockets with Poll (a listener whose Accept blocks must not starve another), survive an
// OutOfMemoryException in any round, leave a listener whose socket closed, and end on Stop
// within its bound.

using System;
using System.Collections.Concurrent;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Tests.Core.Smtp;
using Xunit;

namespace NanoMailGateway.Tests.Core.Listener
{
    public class AcceptLoopTests
    {
        // A listener whose Accept blocks until a connection comes (as a socket's does): an
        // accept thread that calls it without Poll saying so would hang there.
        private sealed class BlockingListener : ITcpListener
        {
            private readonly BlockingCollection<IConnection?> _pending = new BlockingCollection<IConnection?>();
            public int PollFailures;   // Polls still to throw OutOfMemoryException
            public int AcceptsWithoutPending;
            public int SlicesWaited;   // Polls that could wait (timeout above 0)
            public BlockingListener(int port) { LocalPort = port; }
            public string LocalEndPoint => "memory:" + LocalPort;
            public int LocalPort { get; }
            public void Add(IConnection? c) => _pending.Add(c);
            public IConnection? Accept()
            {
                if (_pending.Count == 0) Interlocked.Increment(ref AcceptsWithoutPending);
                return _pending.Take();
            }
            public bool Poll(int timeoutMs)
            {
                if (Interlocked.Decrement(ref PollFailures) >= 0) throw new OutOfMemoryException("no heap for a poll");
                if (timeoutMs > 0) Interlocked.Increment(ref SlicesWaited);
                return SpinWait.SpinUntil(() => _pending.Count > 0, timeoutMs);
            }
            public void Close() => _pending.Add(null);
        }

        private static MemoryConnection Dial(BlockingListener l)
        {
            MemoryConnection.CreatePair("198.51.100.9", "192.0.2.1", out MemoryConnection client, out MemoryConnection server);
            l.Add(server);
            return client;
        }

        private static string Read(MemoryConnection c)
        {
            var buf = new byte[512];
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 5000)
            {
                int n = c.Receive(buf, 0, buf.Length, 100);
                if (n == 0) break;
                if (n > 0) return Encoding.ASCII.GetString(buf, 0, n);
            }
            return "";
        }

        [Fact]
        public void OneThreadAcceptsOnEveryListenerAndAnIdleOneDoesNotBlockTheOthers()
        {
            var h = new SmtpHarness();
            var idle = new BlockingListener(25);
            var busy = new BlockingListener(587);
            var first = new ConnectionListener(idle, h.CreateServer(), 2, h.Log);
            var second = new ConnectionListener(busy, h.CreateServer(), 2, h.Log);
            var loop = new AcceptLoop(2);
            loop.Add(first);
            loop.Add(second);
            Assert.Equal(0, loop.ThreadsStarted);
            loop.Start();
            Assert.Equal(1, loop.ThreadsStarted);
            Assert.Throws<InvalidOperationException>(() => first.Start());

            var sw = System.Diagnostics.Stopwatch.StartNew();
            MemoryConnection a = Dial(busy);
            Assert.StartsWith("220 ", Read(a));
            Assert.InRange(sw.ElapsedMilliseconds, 0, 1000);   // a slice or two, not "never"
            MemoryConnection b = Dial(idle);
            Assert.StartsWith("220 ", Read(b));
            Assert.Equal(0, idle.AcceptsWithoutPending + busy.AcceptsWithoutPending);
            Assert.Equal(1, first.Accepted);
            Assert.Equal(1, second.Accepted);
            Assert.True(h.Log.Contains("listening on memory:25"));
            Assert.True(h.Log.Contains("listening on memory:587"));

            // Stop: sockets closed, the one thread ends within the bound, then the sessions.
            sw.Restart();
            Assert.True(loop.Stop(1000));
            Assert.False(loop.Running);
            Assert.True(first.Stop(300));
            Assert.True(second.Stop(300));
            Assert.InRange(sw.ElapsedMilliseconds, 0, 3000);
            Assert.Equal(0, h.Pool.InUse);
            Assert.Equal(1, loop.ThreadsStarted);
        }

        [Fact]
        public void ABusyListenerIsNotHeldASlicePerIdleOneAndTheIdleOneIsStillServed()
        {
            var h = new SmtpHarness();
            var idle = new BlockingListener(110);
            var busy = new BlockingListener(25);
            var first = new ConnectionListener(idle, h.CreateServer(), 2, h.Log);
            var second = new ConnectionListener(busy, h.CreateServer(), 2, h.Log);
            var loop = new AcceptLoop(2);
            loop.Add(first);
            loop.Add(second);
            loop.Start();
            try
            {
                Assert.StartsWith("220 ", Read(Dial(busy)));
                int before = Volatile.Read(ref idle.SlicesWaited);
                // A sensor's connections one after the other: while they keep coming, the idle
                // listener is only glanced at (before: one 50 ms slice on it per connection).
                for (int i = 0; i < 20; i++)
                {
                    MemoryConnection c = Dial(busy);
                    Assert.StartsWith("220 ", Read(c));
                    c.Close();
                }
                Assert.InRange(Volatile.Read(ref idle.SlicesWaited) - before, 0, 3);
                // The idle one is still served while the other is hot.
                Assert.StartsWith("220 ", Read(Dial(idle)));
                Assert.Equal(1, first.Accepted);
                Assert.Equal(21, second.Accepted);
            }
            finally
            {
                Assert.True(loop.Stop(1000));
                first.Stop(300);
                second.Stop(300);
            }
        }

        [Fact]
        public void APollThatRunsOutOfHeapDoesNotEndTheAcceptThread()
        {
            var h = new SmtpHarness();
            var l = new BlockingListener(25) { PollFailures = 3 };
            var other = new BlockingListener(110);
            var listener = new ConnectionListener(l, h.CreateServer(), 2, h.Log);
            var loop = new AcceptLoop(2);
            loop.Add(listener);
            loop.Add(new ConnectionListener(other, h.CreateServer(), 1, h.Log));
            loop.Start();
            MemoryConnection c = Dial(l);
            Assert.StartsWith("220 ", Read(c));
            Assert.True(loop.Running);
            Assert.True(loop.Stop(1000));
            Assert.True(listener.Stop(300));
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void AListenerWhoseSocketClosesLeavesTheRoundAndTheThreadEndsWithTheLast()
        {
            var h = new SmtpHarness();
            var one = new BlockingListener(25);
            var two = new BlockingListener(110);
            var first = new ConnectionListener(one, h.CreateServer(), 1, h.Log);
            var second = new ConnectionListener(two, h.CreateServer(), 1, h.Log);
            var loop = new AcceptLoop(2);
            loop.Add(first);
            loop.Add(second);
            loop.Start();
            Assert.True(first.Stop(1000));   // returns once the loop has left it
            Assert.Equal(1, loop.Serving);
            MemoryConnection c = Dial(two);
            Assert.StartsWith("220 ", Read(c));
            Assert.True(second.Stop(1000));
            for (int i = 0; i < 100 && loop.Running; i++) Thread.Sleep(10);
            Assert.False(loop.Running);
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void AListenerStartedOnItsOwnStillUsesOneThread()
        {
            var h = new SmtpHarness();
            var l = new BlockingListener(25);
            var listener = new ConnectionListener(l, h.CreateServer(), 1, h.Log);
            listener.Start();
            Assert.Throws<InvalidOperationException>(() => listener.Start());
            Assert.StartsWith("220 ", Read(Dial(l)));
            Assert.Equal(0, l.AcceptsWithoutPending);
            Assert.True(listener.Stop(300));
        }

        [Fact]
        public void StopBeforeStartReleasesTheMembersAtOnce()
        {
            var h = new SmtpHarness();
            var listener = new ConnectionListener(new BlockingListener(25), h.CreateServer(), 1, h.Log);
            var loop = new AcceptLoop(1);
            loop.Add(listener);
            Assert.Throws<InvalidOperationException>(() => loop.Add(listener));
            Assert.True(loop.Stop(0));
            var sw = System.Diagnostics.Stopwatch.StartNew();
            Assert.True(listener.Stop(5000));
            Assert.InRange(sw.ElapsedMilliseconds, 0, 1000);
            Assert.Equal(0, loop.ThreadsStarted);
        }

        [Fact]
        public void ALoopWithoutListenersStartsNoThread()
        {
            var loop = new AcceptLoop(0);
            loop.Start();
            Assert.Equal(0, loop.ThreadsStarted);
            Assert.False(loop.Running);
            Assert.True(loop.Stop(0));
        }
    }
}
