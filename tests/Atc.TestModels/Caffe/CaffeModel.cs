namespace Atc.TestModels.Caffe;

/// <summary>A Caffe model as its two files (the .prototxt text and the .caffemodel bytes) and its ONNX twin: the
/// same computation with the same weights, for ONNX Runtime to serve as the reference.</summary>
public sealed record CaffeModel(string Name, string Prototxt, byte[] CaffeModelBytes, byte[] Onnx, string InputName, int[] InputDims, IReadOnlyList<string> Outputs)
{
    /// <summary>Writes name.prototxt and name.caffemodel into <paramref name="folder"/>; returns both paths.</summary>
    public (string Prototxt, string Weights) WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var prototxt = Path.Combine(folder, Name + ".prototxt");
        var weights = Path.Combine(folder, Name + ".caffemodel");
        File.WriteAllText(prototxt, Prototxt);
        File.WriteAllBytes(weights, CaffeModelBytes);
        return (prototxt, weights);
    }
}
