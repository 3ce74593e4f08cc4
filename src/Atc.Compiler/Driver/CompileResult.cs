using Atc.Compiler.Shapes;
using Atc.Options;

namespace Atc.Compiler.Driver;

/// <summary>What a successful run did.</summary>
public sealed record CompileResult(
    AtcMode Mode,
    /// <summary>The .om written (--mode=0), else null.</summary>
    string? OmPath,
    /// <summary>The JSON written (--mode=1), else null.</summary>
    string? JsonPath,
    /// <summary>The gears compiled; null when an existing .om was dumped.</summary>
    GearSet? Gears,
    ModelSignature? Signature,
    string? SocVersion,
    IReadOnlyList<AtcDiagnostic> Warnings);
