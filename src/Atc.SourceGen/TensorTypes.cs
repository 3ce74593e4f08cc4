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
            "uint16" => "ushort",
            "int16" => "short",
            "uint32" => "uint",
            "uint64" => "ulong",
            // .NET 10 has no BFloat16 type: the wrapper passes the 16 bits of each value.
            "bfloat16" => "ushort",
            _ => "float",
        };
    }
}
