namespace Atc.SourceGen
{
    /// <summary>Manifest element type names → C# element types used with the runtime's generic SetInput/GetOutput.</summary>
    internal static class TensorTypes
    {
        public static string CSharpType(string dataType) => dataType switch
        {
            "float32" => "float",
            "float64" => "double",
            "int32" => "int",
            "int64" => "long",
            "int8" => "sbyte",
            "uint8" => "byte",
            "bool" => "bool",
            "float16" => "global::System.Half",
            _ => "float",
        };
    }
}
