using Atc.Runtime.MicroKernels;
using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>Reading the attributes shared by the neural-network operators, with clear errors.</summary>
internal static class NeuralNetAttributes
{
    /// <summary>True for "NHWC" (channels last), false for "NCHW" (default).</summary>
    public static bool ChannelsLast(OpContext context)
    {
        string layout = context.Attributes.GetString("layout", "NCHW");
        return layout switch
        {
            "NCHW" => false,
            "NHWC" => true,
            _ => throw new ShapeException($"{context.OpType}: layout '{layout}' is not supported; use \"NCHW\" or \"NHWC\""),
        };
    }

    /// <summary>The fused clamp ("", "Relu", "Clip" with activation_min / activation_max). The other fused
    /// activations (<see cref="Elementwise.Unary.FusedActivations.EpilogueNames"/>) clamp nothing and come as
    /// <see cref="Activation.Map"/>: a kernel that applies it in its epilogue is an <see cref="IMappedActivationKernel"/>,
    /// any other is wrapped in a <see cref="PostActivationKernel"/>.</summary>
    public static Activation ReadActivation(OpContext context)
    {
        string name = context.Attributes.GetString("activation", "");
        return name switch
        {
            "" => Activation.None,
            "Relu" => new Activation(0f, float.PositiveInfinity),
            "Clip" => ReadClip(context),
            // The ISA the kernel is being made for (tests force each path), not necessarily the best one.
            _ when VectorActivations.For(name, KernelIsa.Current) is { } map => Activation.None with { Map = map },
            _ => throw new ShapeException($"{context.OpType}: fused activation '{name}' is not supported; use \"\", \"Relu\", \"Clip\" or "
                + string.Join(", ", Elementwise.Unary.FusedActivations.EpilogueNames.Select(n => $"\"{n}\""))),
        };
    }

    private static Activation ReadClip(OpContext context)
    {
        float min = context.Attributes.GetFloat("activation_min", float.NegativeInfinity);
        float max = context.Attributes.GetFloat("activation_max", float.PositiveInfinity);
        if (min > max) throw new ShapeException($"{context.OpType}: activation_min {min} is greater than activation_max {max}");
        return new Activation(min, max);
    }

    /// <summary>A float32 input, or a clear error naming the op and the input.</summary>
    public static TensorType RequireFloat(OpContext context, int index, string name)
    {
        var t = context.Input(index);
        if (t.Type != DataType.Float32)
            throw new ShapeException($"{context.OpType}: input {index} ({name}) must be float32, got {t.Type.Name()}");
        return t;
    }

    /// <summary>The spatial dims of a [N, C, spatial...] or [N, spatial..., C] shape.</summary>
    public static int[] SpatialDims(int[] dims, bool channelsLast)
        => channelsLast ? dims[1..^1] : dims[2..];

    public static int ChannelDim(int[] dims, bool channelsLast) => channelsLast ? dims[^1] : dims[1];

    /// <summary>The output shape for batch, channels and spatial dims in the given layout.</summary>
    public static int[] MakeDims(int batch, int channels, int[] spatial, bool channelsLast)
        => channelsLast ? [batch, .. spatial, channels] : [batch, channels, .. spatial];

    /// <summary>An ints attribute of one value per spatial axis (default all <paramref name="fallback"/>), each ≥ min.</summary>
    public static int[] PerAxis(OpContext context, string name, int rank, int fallback, int min)
    {
        long[] v = context.Attributes.GetInts(name, []);
        if (v.Length == 0) return Enumerable.Repeat(fallback, rank).ToArray();
        if (v.Length != rank)
            throw new ShapeException($"{context.OpType}: '{name}' has {v.Length} values {Shape.Format(v)}, expected {rank} (one per spatial axis)");
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            if (v[i] < min || v[i] > int.MaxValue)
                throw new ShapeException($"{context.OpType}: '{name}' value {v[i]} at axis {i} must be at least {min}");
            r[i] = (int)v[i];
        }
        return r;
    }
}
