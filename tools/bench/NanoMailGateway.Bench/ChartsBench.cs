// Write amplification against fill, as a chart (docs/bench/write-amplification-by-fill.png):
// the flash queue on the storage simulator (192 KB store: a 4 MB board; segment 16 KB,
// write unit 2 KB, reserve 48 KB), 1 KB and 16 KB messages, kept at each fill level from
// 10 % to 90 % of what new mail may use while every new message replaces a random older
// one (delivered: status, then removal), so removals come out of order as when some
// destinations are down for a while. WA = flash bytes appended / message bytes accepted.
// Run: dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- charts

using System;
using System.Collections.Generic;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;

namespace NanoMailGateway.Bench
{
    internal static class ChartsBench
    {
        private const long Capacity = 192 * 1024;

        private sealed class FixedClock : IClock
        {
            public long MonotonicMilliseconds => Environment.TickCount64;
            public DateTime UtcNow => new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        }

        public static void Run(string[] args)
        {
            var plot = new ScottPlot.Plot();
            int[] fills = { 10, 20, 30, 40, 50, 60, 70, 80, 90 };
            double[] xs = Array.ConvertAll(fills, f => (double)f);
            Console.WriteLine("| message | " + string.Join(" | ", Array.ConvertAll(fills, f => f + " %")) + " |");
            Console.WriteLine("|---|" + string.Concat(Array.ConvertAll(fills, f => "---:|")));
            foreach (int size in new[] { 1024, 16 * 1024 })
            {
                double[] wa = Array.ConvertAll(fills, f => WriteAmplification(size, f));
                Console.WriteLine("| " + (size / 1024) + " KB | " + string.Join(" | ", Array.ConvertAll(wa, w => w.ToString("F2"))) + " |");
                var line = plot.Add.Scatter(xs, wa);
                line.LegendText = (size / 1024) + " KB messages";
                line.LineWidth = 2;
                line.MarkerSize = 8;
            }
            var goal = plot.Add.ScatterPoints(new double[] { 50, 90 }, new double[] { 1.1, 1.3 });
            goal.LegendText = "goal: at most 1.1 at 50 %, 1.3 at 90 %";
            goal.Color = ScottPlot.Colors.Black;
            goal.MarkerShape = ScottPlot.MarkerShape.OpenDiamond;
            goal.MarkerSize = 14;
            plot.Title("Flash queue write amplification, 192 KB store, random delivery order (" + DateTime.UtcNow.ToString("yyyy-MM-dd") + ")");
            plot.XLabel("fill (% of the store new mail may use)");
            plot.YLabel("write amplification (flash bytes / message bytes)");
            plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
            plot.Axes.AutoScaleY();
            Console.WriteLine("chart: " + Charts.Save(plot, "write-amplification-by-fill.png"));
        }

        private static double WriteAmplification(int size, int fillPercent)
        {
            var options = new QueueOptions(Capacity, 16384, 2048, 3 * 16384, 512, 4);
            var sim = new FlashSimulator(Capacity, 11);
            var clock = new FixedClock();
            var store = MessageStore.Open(sim, options, clock);
            var rnd = new Random(3);
            byte[] body = new byte[size];
            rnd.NextBytes(body);
            int keep = (int)Math.Max(1, (Capacity - options.ReserveBytes) * fillPercent / 100 / QueueBench.FlashBytesPerMessage(size));
            var queued = new List<QueuedMessage>();
            while (queued.Count < keep) queued.Add(Queue(store, body));
            long written = sim.BytesWritten;
            int turns = (int)(8 * Capacity / size);
            for (int i = 0; i < turns; i++)
            {
                int k = rnd.Next(queued.Count);
                var delivered = new RecipientStatus(RecipientState.Delivered, 1, DateTime.MinValue, "2.0.0", "250 2.0.0 Ok", "", 0);
                store.SetStatus(queued[k], 0, delivered, false);
                if (!store.Remove(queued[k])) throw new InvalidOperationException("removal refused");
                queued[k] = Queue(store, body);
            }
            return (double)(sim.BytesWritten - written) / ((long)turns * size);
        }

        private static QueuedMessage Queue(MessageStore store, byte[] body)
        {
            var envelope = new Envelope("probe@sensor.lan");
            envelope.AddRecipient(new EnvelopeRecipient("ops@example.com", false, DsnNotify.Unspecified, null));
            IMessageWriter w = store.BeginMessage(envelope) ?? throw new InvalidOperationException("queue full at " + store.UsedBytes + " bytes");
            if (!w.Write(body, 0, body.Length)) throw new InvalidOperationException("write refused");
            w.Commit();
            return store.Find(w.QueueId) ?? throw new InvalidOperationException("queued message not found");
        }
    }
}
