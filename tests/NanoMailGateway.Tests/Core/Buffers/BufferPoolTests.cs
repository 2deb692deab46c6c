using System;
using NanoMailGateway.Core.Buffers;
using Xunit;

namespace NanoMailGateway.Tests.Core.Buffers
{
    public class BufferPoolTests
    {
        [Fact]
        public void RentsUpToCapacityThenRefusesWithoutGrowing()
        {
            var pool = new BufferPool("t", 64, 3);
            var a = pool.TryRent();
            var b = pool.TryRent();
            var c = pool.TryRent();
            Assert.NotNull(a); Assert.NotNull(b); Assert.NotNull(c);
            Assert.Null(pool.TryRent());
            Assert.Equal(3, pool.InUse);
            Assert.Equal(1, pool.Refusals);
            Assert.Equal(3, pool.Capacity);
            pool.Return(b!);
            Assert.Same(b, pool.TryRent());
            Assert.Equal(3, pool.HighWaterMark);
            Assert.Equal(3, pool.Capacity);
        }

        [Fact]
        public void RentSetIsAllOrNothing()
        {
            var pool = new BufferPool("t", 16, 3);
            var one = pool.TryRent();
            Assert.Null(pool.TryRentSet(3));
            Assert.Equal(1, pool.InUse);
            var set = pool.TryRentSet(2);
            Assert.NotNull(set);
            Assert.Equal(2, set!.Length);
            Assert.NotSame(set[0], set[1]);
            Assert.NotSame(one, set[0]);
            pool.ReturnSet(set);
            Assert.Equal(1, pool.InUse);
        }

        [Fact]
        public void ForeignOrDoubleReturnIsRejected()
        {
            var pool = new BufferPool("t", 16, 2);
            Assert.Throws<InvalidOperationException>(() => pool.Return(new byte[16]));
            var a = pool.TryRent()!;
            pool.Return(a);
            Assert.Throws<InvalidOperationException>(() => pool.Return(a));
            Assert.Equal(0, pool.InUse);
        }

        [Fact]
        public void ConcurrentRentersNeverExceedCapacity()
        {
            var pool = new BufferPool("t", 8, 4);
            int maxSeen = 0;
            var threads = new System.Threading.Thread[8];
            for (int t = 0; t < threads.Length; t++)
            {
                threads[t] = new System.Threading.Thread(() =>
                {
                    for (int i = 0; i < 2000; i++)
                    {
                        var b = pool.TryRent();
                        if (b == null) continue;
                        int now = pool.InUse;
                        int seen;
                        do { seen = maxSeen; } while (now > seen && System.Threading.Interlocked.CompareExchange(ref maxSeen, now, seen) != seen);
                        pool.Return(b);
                    }
                });
                threads[t].Start();
            }
            foreach (var th in threads) th.Join();
            Assert.True(maxSeen <= 4);
            Assert.Equal(0, pool.InUse);
            Assert.True(pool.HighWaterMark <= 4 && pool.HighWaterMark >= 1);
            Assert.Contains("pool t: 0/4 in use", pool.Describe());
        }
    }
}
