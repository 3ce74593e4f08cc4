using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Signal;

/// <summary>
/// MelWeightMatrix (ONNX 17): num_mel_bins, dft_length, sample_rate (integer scalars), lower_edge_hertz,
/// upper_edge_hertz (float scalars), all constant (or read in the dynamic region); attr output_datatype (float32 by
/// default, or float64). Output [floor(dft_length / 2) + 1, num_mel_bins]: triangular filters between num_mel_bins + 2
/// points equally spaced on the mel scale (2595 log10(1 + hz / 700)), each point's frequency mapped to the bin
/// floor((dft_length + 1) hz / sample_rate), with ONNX's reference arithmetic (the mel step divides the range by
/// num_mel_bins + 2).
/// </summary>
internal sealed class MelWeightMatrixOperator() : Operator(OpTypes.MelWeightMatrix)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var (melBins, dftLength, _) = Sizes(context);
        return One(OutputType(context), [dftLength / 2 + 1, melBins]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var (melBins, dftLength, sampleRate) = Sizes(context);
        double lower = Hertz(context, 3, "lower_edge_hertz"), upper = Hertz(context, 4, "upper_edge_hertz");
        var weights = Weights(melBins, dftLength, sampleRate, lower, upper);
        var data = outputs[0].Type == DataType.Float64
            ? TensorData.FromArray(DataType.Float64, outputs[0].Dims, weights)
            : TensorData.Float(outputs[0].Dims, Array.ConvertAll(weights, v => (float)v));
        return new ConstantKernel(data.Bytes.ToArray());
    }

    private static double[] Weights(int melBins, int dftLength, int sampleRate, double lower, double upper)
    {
        int spectrumBins = dftLength / 2 + 1;
        double lowMel = 2595 * Math.Log10(1 + lower / 700), highMel = 2595 * Math.Log10(1 + upper / 700);
        double step = (highMel - lowMel) / (melBins + 2);
        var points = new int[melBins + 2];
        for (int i = 0; i < points.Length; i++)
        {
            double hz = 700 * (Math.Pow(10, (i * step + lowMel) / 2595) - 1);
            points[i] = (int)Math.Floor((dftLength + 1) * hz / sampleRate);
        }
        var weights = new double[(long)spectrumBins * melBins];
        for (int m = 0; m < melBins; m++)
        {
            int left = points[m], center = points[m + 1], right = points[m + 2];
            if (center - left == 0) Set(weights, center, m, 1);
            else
                for (int j = left; j <= center; j++) Set(weights, j, m, (double)(j - left) / (center - left));
            if (right - center > 0)
                for (int j = center; j < right; j++) Set(weights, j, m, (double)(right - j) / (right - center));
        }
        return weights;

        void Set(double[] w, int bin, int mel, double value)
        {
            // A point beyond the spectrum (an upper edge above the Nyquist frequency) has no row to fill.
            if (bin >= 0 && bin < spectrumBins) w[(long)bin * melBins + mel] = value;
        }
    }

    private (int MelBins, int DftLength, int SampleRate) Sizes(OpContext context)
    {
        int melBins = Positive(context, 0, "num_mel_bins"), dftLength = Positive(context, 1, "dft_length");
        int sampleRate = Positive(context, 2, "sample_rate");
        return (melBins, dftLength, sampleRate);
    }

    private int Positive(OpContext context, int index, string what)
    {
        long[] values = ConstantInts(context, index, what);
        return values.Length == 1 && values[0] is > 0 and <= int.MaxValue
            ? (int)values[0]
            : throw Error($"{what} must be one positive value, got [{string.Join(", ", values)}]");
    }

    private double Hertz(OpContext context, int index, string what)
    {
        var t = context.RequireConstant(index, $"{OpType} {what}");
        if (t.Type is not (DataType.Float32 or DataType.Float64) || t.ElementCount != 1)
            throw Error($"{what} must be one float32 or float64 value, got {t.Type.Name()} with {t.ElementCount} values");
        double hz = t.Type == DataType.Float64 ? t.AsSpan<double>()[0] : t.AsSpan<float>()[0];
        return hz >= 0 && double.IsFinite(hz) ? hz : throw Error($"{what} = {hz}; it must be a finite frequency of 0 or more");
    }

    private DataType OutputType(OpContext context)
    {
        long code = context.Attributes.GetInt("output_datatype", (long)DataType.Float32);
        return (DataType)code is DataType.Float32 or DataType.Float64
            ? (DataType)code
            : throw Error($"output_datatype {code} is not supported; use float32 (1) or float64 (11)");
    }
}
