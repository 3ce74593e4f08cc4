using System.Diagnostics;
using System.Globalization;
using Atc.Runtime.Kernels;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// --gemm [--threads N] [--runs N] [--shape text] [--isa name] [--cold]: GFLOP/s of the SGEMM driver (GemmDriver.ComputeTile) on the convolution shapes
/// of ResNet-50 and MobileNetV2, driven the way the channels-last conv kernel drives it (pre-packed weights, the
/// same K blocks, tiling and A copy decision), without the rest of a model around it. Best of N timed rounds.
/// --isa avx2|portable runs a lower instruction set's kernels. --cold evicts the caches (writes 64 MB) before every timed call, as a model's weights are cold in a real run.
/// </summary>
public static unsafe class GemmMode
{
    private sealed record Shape(string Name, int H, int W, int C, int O, int Kernel, int Stride);

    private static readonly Shape[] Shapes =
    [
        new("7x7 s2 224x224 3->64 (stem)", 224, 224, 3, 64, 7, 2),
        new("3x3 s2 224x224 3->32 (stem)", 224, 224, 3, 32, 3, 2),
        new("1x1 56x56 64->64", 56, 56, 64, 64, 1, 1),
        new("1x1 56x56 64->256", 56, 56, 64, 256, 1, 1),
        new("1x1 56x56 256->64", 56, 56, 256, 64, 1, 1),
        new("1x1 56x56 256->128", 56, 56, 256, 128, 1, 1),
        new("1x1 s2 28x28 512->1024", 28, 28, 512, 1024, 1, 2),
        new("1x1 14x14 1024->256", 14, 14, 1024, 256, 1, 1),
        new("3x3 56x56 64->64", 56, 56, 64, 64, 3, 1),
        new("3x3 28x28 128->128", 28, 28, 128, 128, 3, 1),
        new("3x3 14x14 256->256", 14, 14, 256, 256, 3, 1),
        new("1x1 7x7 512->2048", 7, 7, 512, 2048, 1, 1),
        new("1x1 7x7 2048->512", 7, 7, 2048, 512, 1, 1),
        new("3x3 7x7 512->512", 7, 7, 512, 512, 3, 1),
        new("3x3 s2 14x14 512->512", 14, 14, 512, 512, 3, 2),
        new("1x1 112x112 16->96", 112, 112, 16, 96, 1, 1),
        new("1x1 112x112 32->16", 112, 112, 32, 16, 1, 1),
        new("1x1 56x56 96->24", 56, 56, 96, 24, 1, 1),
        new("1x1 56x56 24->144", 56, 56, 24, 144, 1, 1),
    ];

    public static int Run(string[] args)
    {
        int threads = IntOption(args, "--threads", 1), runs = IntOption(args, "--runs", 30);
        bool cold = args.Contains("--cold");
        if (Array.IndexOf(args, "--isa") is var isaAt && isaAt >= 0 && isaAt + 1 < args.Length)
            KernelIsa.Override = Enum.Parse<Isa>(args[isaAt + 1], ignoreCase: true);
        string? only = Array.IndexOf(args, "--shape") is var i && i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        Console.WriteLine($"## SGEMM driver, {KernelIsa.Current}, {threads} thread(s), best of {runs}{(cold ? ", cold caches" : "")}");
        Console.WriteLine();
        Console.WriteLine("| shape | M x N x K | ms | GFLOP/s |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach (var shape in Shapes)
        {
            if (only is not null && !shape.Name.Contains(only, StringComparison.Ordinal)) continue;
            var (m, n, k, ms) = Measure(shape, threads, runs, cold);
            double gflops = 2.0 * m * n * k / (ms * 1e6);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {shape.Name} | {m} x {n} x {k} | {ms:F3} | {gflops:F0} |"));
        }
        return 0;
    }

    private static (int M, int N, int K, double Ms) Measure(Shape s, int threads, int runs, bool cold)
    {
        int pad = s.Kernel / 2;
        var g = ConvGeometry.FromSpatial(1, s.C, s.O, 1, true, [s.H, s.W],
            [(s.H + 2 * pad - s.Kernel) / s.Stride + 1, (s.W + 2 * pad - s.Kernel) / s.Stride + 1],
            [s.Kernel, s.Kernel], [s.Stride, s.Stride], [1, 1], [pad, pad]);
        var isa = KernelIsa.Current;
        int m = g.OutPixels, n = s.O, k = s.C * g.KernelSize;
        bool pointwise = g.IsPointwise;
        // Few channels: the conv kernel runs on a zero-padded copy of the input with the kernel width merged into
        // each tap (ConvNhwcKernel.PaddedGeometry); the copy itself is not timed here.
        var rowsGeometry = g;
        int channelsPerTap = s.C;
        if (!pointwise && s.C < 16)
        {
            rowsGeometry = g with
            {
                InH = Math.Max(g.InH + g.PH, (g.OutH - 1) * g.SH + (g.KH - 1) * g.DH + 1),
                InW = Math.Max(g.InW + g.PW, (g.OutW - 1) * g.SW + g.KW),
                PH = 0, PW = 0, KW = 1,
            };
            channelsPerTap = g.KW * s.C;
        }
        int[] kStarts = pointwise ? GemmLayout.UniformKBlocks(k) : IndirectConvRows.KBlocks(rowsGeometry.KernelSize, channelsPerTap);
        bool copyA = pointwise ? GemmDriver.ShouldCopyA(s.C) : GemmDriver.ShouldCopyA(s.C, Math.Min(channelsPerTap, GemmLayout.KcMax));
        var tiling = GemmTiling.Plan(1, m, n, k, GemmLayout.RowTile(isa), GemmTiling.MaxTileNPrePacked);

        var random = new Random(1);
        var input = new AlignedBuffer((long)rowsGeometry.InPixels * s.C);
        var weights = new AlignedBuffer((long)k * n);
        var output = new AlignedBuffer((long)m * n);
        var zeros = new AlignedBuffer(s.C);
        for (long j = 0; j < rowsGeometry.InPixels * (long)s.C; j++) input.Pointer[j] = (float)random.NextDouble() - 0.5f;
        for (long j = 0; j < (long)k * n; j++) weights.Pointer[j] = (float)random.NextDouble() - 0.5f;
        var packed = PanelPacking.PackAll(new RowMajorPanels(weights.Pointer, n, n, 1f), kStarts, n);

        float* x = input.Pointer, y = output.Pointer, z = zeros.Pointer, b = packed.Pointer;
        void Tile(int tile)
        {
            var spec = new GemmTileSpec { C = y, Ldc = n, CopyA = copyA, Epilogue = GemmEpilogue.Create(new Activation(0f, float.PositiveInfinity)) };
            tiling.Bounds(tile, m, n, ref spec);
            var panels = new PrePackedPanels(b, GemmLayout.PadColumns(n));
            if (pointwise) GemmDriver.ComputeTile(isa, new DenseRows(x, s.C), panels, kStarts, null, spec);
            else GemmDriver.ComputeTile(isa, IndirectConvRows.Create(rowsGeometry, x, z, 0, channelsPerTap), panels, kStarts, null, spec);
        }
        void Once()
        {
            if (threads == 1) for (int t = 0; t < tiling.Count; t++) Tile(t);
            else Parallel.For(0, tiling.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, Tile);
        }

        long start;
        if (cold)
        {
            var evict = new byte[64 << 20];
            double coldBest = double.MaxValue;
            Once();
            for (int r = 0; r < runs * 4; r++)
            {
                evict.AsSpan().Fill((byte)r);
                new Span<float>(x, rowsGeometry.InPixels * s.C).CopyTo(new Span<float>(x, rowsGeometry.InPixels * s.C)); // the input is warm: the layer before wrote it
                new Span<float>(y, m * n).Clear(); // and the output is an arena buffer in use
                start = Stopwatch.GetTimestamp();
                Once();
                coldBest = Math.Min(coldBest, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            GC.KeepAlive(evict);
            Keep(input, weights, output, zeros, packed);
            return (m, n, k, coldBest);
        }
        // Short rounds (~10 ms), many of them: the best one is the least disturbed on a shared machine.
        int reps = 0;
        start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 50 || reps < 3) { Once(); reps++; }
        reps = Math.Max(1, reps / 5);
        double best = double.MaxValue;
        for (int r = 0; r < runs; r++)
        {
            start = Stopwatch.GetTimestamp();
            for (int j = 0; j < reps; j++) Once();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds / reps);
        }
        Keep(input, weights, output, zeros, packed);
        return (m, n, k, best);
    }

    /// <summary>The buffers free their memory when collected: keep them until the timing is done.</summary>
    private static void Keep(params object[] buffers) => GC.KeepAlive(buffers);

    private static int IntOption(string[] args, string name, int fallback)
        => Array.IndexOf(args, name) is var i && i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
