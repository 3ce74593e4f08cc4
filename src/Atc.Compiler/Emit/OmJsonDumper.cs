namespace Atc.Compiler.Emit;

/// <summary>atc --mode=1: an .om file as readable JSON (signature, gears, nodes with shapes per gear, weights summary).</summary>
public static class OmJsonDumper
{
    /// <summary>Throws AtcException for a truncated or corrupt file.</summary>
    public static string Dump(byte[] om, string path)
        => throw new NotImplementedException("OmJsonDumper is being written");
}
