using Atc.Compiler.Passes;
using Atc.Options;
using Atc.Options.Deployment;
using Atc.Options.Errors;

namespace Atc.Compiler.Driver;

/// <summary>A --keep_dtype entry: a node name or (ATC's "OpType::Name" line) an op type, with its line for messages.</summary>
public sealed record KeepDtypeEntry(string Name, bool IsOpType, int Line);

/// <summary>What the files named by the deployment options say: the passes switched off and the --keep_dtype entries.</summary>
public sealed record DeploymentFileContents(IReadOnlySet<string> DisabledPasses, IReadOnlyList<KeepDtypeEntry> KeepDtype)
{
    public static DeploymentFileContents None { get; } = new(new HashSet<string>(), []);
}

/// <summary>Reads --fusion_switch_file and --keep_dtype (their existence is checked with the command line). Errors
/// throw one <see cref="AtcException"/> with every problem; warnings go to the list given.</summary>
public static class DeploymentFiles
{
    /// <summary>Files are read whole; a real switch or keep_dtype file is a few KB, so 16 MB is a generous bound.</summary>
    private const long MaxFileBytes = 16L << 20;

    public static DeploymentFileContents Read(DeploymentOptions options, List<AtcDiagnostic> warnings)
    {
        var diagnostics = new List<AtcDiagnostic>();
        var disabled = options.FusionSwitchPath is { } switches
            ? FusionSwitches.Parse(ReadText(switches, AtcOptionNames.FusionSwitchFile), switches, diagnostics)
            : new HashSet<string>();
        var keep = options.KeepDtypePath is { } keepPath ? ParseKeepDtype(ReadText(keepPath, AtcOptionNames.KeepDtype)) : [];
        var errors = diagnostics.Where(d => d.Severity == AtcSeverity.Error).ToList();
        if (errors.Count > 0) throw new AtcException(errors);
        warnings.AddRange(diagnostics.Where(d => d.Severity == AtcSeverity.Warning));
        return new DeploymentFileContents(disabled, keep);
    }

    /// <summary>One name per line; "OpType::Conv2D" names an op type, "OpName::x" (or a bare name) a node.</summary>
    public static List<KeepDtypeEntry> ParseKeepDtype(string text)
    {
        var entries = new List<KeepDtypeEntry>();
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("OpType::", StringComparison.Ordinal)) entries.Add(new KeepDtypeEntry(line["OpType::".Length..].Trim(), true, i + 1));
            else if (line.StartsWith("OpName::", StringComparison.Ordinal)) entries.Add(new KeepDtypeEntry(line["OpName::".Length..].Trim(), false, i + 1));
            else entries.Add(new KeepDtypeEntry(line, false, i + 1));
        }
        return entries;
    }

    private static string ReadText(string path, string option)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxFileBytes)
                throw new AtcException(AtcErrors.ConfigFileInvalid(option, path, 1, "the file is " + info.Length + " bytes, above the limit of " + MaxFileBytes, "a small text file"));
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AtcException(AtcErrors.ReadFailed(path, option, e.Message.TrimEnd('.')));
        }
    }
}
