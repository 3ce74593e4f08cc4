using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.MicroKernels.Int8;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Quantized;

namespace Atc.Compiler.Passes;

/// <summary>
/// Which QLinearConv nodes run channels last (<see cref="QuantizedConvNhwcKernel"/>): 2-D, constant weights whose
/// values minus their (constant) zero points fit int8, as ONNX Runtime's quantiser writes them (symmetric int8, or
/// uint8 with zero point 128). Depthwise convs run channels last too (<see cref="QuantizedDepthwiseNhwcKernel"/>);
/// other grouped convs with fewer than 4 input or 8 output channels per group (which would waste most of a
/// 16-channel tile) keep the channels-first kernel.
/// </summary>
internal static class QuantizedConvLayout
{
    public static bool CanRunChannelsLast(Node node)
    {
        if (node.OpType != OpTypes.QLinearConv || node.Inputs.Count < 8) return false;
        if (node.Inputs[3]?.Constant is not { Rank: 4 } w || !QuantizedParameters.IsEightBit(w.Type)) return false;
        var zeroPoint = GraphRewrites.InputOrNull(node, 5);
        if (zeroPoint is not null && zeroPoint.Constant is null) return false;
        long[] zeros = zeroPoint?.Constant!.ToInt64Array() ?? [0];
        int outChannels = w.Dims[0], perGroupIn = w.Dims[1], taps = w.Dims[2] * w.Dims[3];
        if (zeros.Length != 1 && zeros.Length != outChannels) return false;
        long group = node.Attributes.GetInt("group", 1);
        if (group < 1 || outChannels % group != 0 || taps > QuantizedConvNhwcKernel.MaxTaps) return false;
        bool depthwise = perGroupIn == 1 && outChannels == group;
        if (group > 1 && !depthwise && (perGroupIn < 4 || outChannels / group < 8)) return false;
        float[] values = w.ToFloatArray();
        long perChannel = (long)perGroupIn * taps;
        for (int o = 0; o < outChannels; o++)
        {
            long zero = zeros[zeros.Length == 1 ? 0 : o];
            for (long i = 0; i < perChannel; i++)
                if ((ulong)((long)values[o * perChannel + i] - zero + 128) > 255) return false;
        }
        return true;
    }
}
