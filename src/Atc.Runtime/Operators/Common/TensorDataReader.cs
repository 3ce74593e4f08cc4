namespace Atc.Runtime.Operators.Common;

internal static class TensorDataReader
{
    /// <summary>Reads any numeric tensor as doubles (constant bounds, fill values).</summary>
    public static double[] ToDoubleArray(this TensorData tensor) => tensor.Type switch
    {
        DataType.Float32 => Array.ConvertAll(tensor.AsSpan<float>().ToArray(), v => (double)v),
        DataType.Float64 => tensor.AsSpan<double>().ToArray(),
        _ => Array.ConvertAll(tensor.ToInt64Array(), v => (double)v),
    };
}
