namespace Atc.Options
{
    /// <summary>ATC's --framework codes.</summary>
    public enum AtcFramework
    {
        Caffe = 0,
        MindSpore = 1,
        TensorFlow = 3,
        Onnx = 5,
    }
}
