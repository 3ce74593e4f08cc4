namespace Atc.TestModels.TensorFlow;

/// <summary>A generated frozen GraphDef with the facts tests need: its single input and output.</summary>
public sealed record TfModel(string Name, byte[] Bytes, string InputName, long[] InputShape, string OutputName)
{
    public void Save(string path) => File.WriteAllBytes(path, Bytes);
}
