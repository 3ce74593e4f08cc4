using Atc.Compiler.Ir;
using Atc.Runtime;

namespace Atc.Compiler.Passes;

/// <summary>Reading and making the float constants that folding passes rewrite (weights, biases, norm params).</summary>
internal static class ConstantTensors
{
    /// <summary>The values of a float32 constant, or null when the value is absent, not constant or not float32.</summary>
    public static float[]? Float32(Value? value)
        => value?.Constant is { Type: DataType.Float32 } data ? data.ToFloatArray() : null;

    /// <summary>The values of a float32 or float64 constant as doubles (normalisation parameters), else null.</summary>
    public static double[]? Real(Value? value) => value?.Constant switch
    {
        { Type: DataType.Float32 } data => Array.ConvertAll(data.AsSpan<float>().ToArray(), v => (double)v),
        { Type: DataType.Float64 } data => data.AsSpan<double>().ToArray(),
        _ => null,
    };

    public static Value NewFloat32(ValueNames names, string wantedName, int[] dims, float[] values)
        => Value.FromConstant(names.Fresh(wantedName), TensorData.Float(dims, values));

    /// <summary>The channel axis of an output of rank <paramref name="rank"/> for a "layout" attribute: 1 for NCHW
    /// (the default), the last axis for NHWC; -1 for any other layout or a rank without a channel axis.</summary>
    public static int ChannelAxis(string layout, int rank) => layout switch
    {
        "NCHW" when rank >= 2 => 1,
        "NHWC" when rank >= 2 => rank - 1,
        _ => -1,
    };

    /// <summary>
    /// Reads a constant that, broadcast against an output of rank <paramref name="outputRank"/>, varies at most
    /// along <paramref name="channelAxis"/> and does not enlarge the output: every dim is 1 except the one aligned
    /// with the channel axis, which is 1 or <paramref name="channels"/>. Returns one value per channel, or null.
    /// </summary>
    public static double[]? PerChannel(TensorData constant, int outputRank, int channelAxis, int channels)
    {
        if (constant.Type is not (DataType.Float32 or DataType.Float64) || constant.Rank > outputRank) return null;
        bool varies = false;
        for (int j = 0; j < constant.Rank; j++)
        {
            int axis = outputRank - constant.Rank + j;
            int dim = constant.Dims[j];
            if (dim == 1) continue;
            if (axis != channelAxis || dim != channels) return null;
            varies = true;
        }
        var values = constant.Type == DataType.Float32
            ? Array.ConvertAll(constant.AsSpan<float>().ToArray(), v => (double)v)
            : constant.AsSpan<double>().ToArray();
        var perChannel = new double[channels];
        for (int c = 0; c < channels; c++) perChannel[c] = values[varies ? c : 0];
        return perChannel;
    }
}
