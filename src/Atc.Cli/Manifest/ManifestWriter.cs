using Atc.Options.IO;
using Atc.Options.Manifest;

namespace Atc.Cli.Manifest;

/// <summary>
/// `--manifest=PATH`: after a successful conversion, writes the model manifest (signature, gears, memory plan, the
/// model's declared inputs) that the MSBuild task hands to the source generator and the analyzers. The flag is this
/// project's own (ATC has none); it is taken out of the arguments before ATC's parser sees them.
/// </summary>
public static class ManifestWriter
{
    public const string Flag = "--manifest=";

    /// <summary>Removes `--manifest=PATH` from the arguments and returns PATH (null when absent).</summary>
    public static string? Extract(ref string[] args)
    {
        string? path = null;
        var rest = new List<string>(args.Length);
        foreach (var arg in args)
        {
            if (arg.StartsWith(Flag, StringComparison.Ordinal)) path = arg[Flag.Length..].Trim('"');
            else rest.Add(arg);
        }
        args = [.. rest];
        return path;
    }

    /// <summary>
    /// Runs the compiler with `--manifest=PATH` taken out of the arguments and, when it succeeded, writes the manifest
    /// of the .om it produced. Program.Main is this with <paramref name="compile"/> = the atc command line.
    /// </summary>
    public static int RunWithManifest(string[] args, Func<string[], int> compile, TextWriter stdout)
    {
        var manifestPath = Extract(ref args);
        var exit = compile(args);
        if (exit != 0 || manifestPath is null) return exit;
        var omPath = OmPathOf(args);
        try
        {
            if (omPath is null) throw new InvalidOperationException("--manifest needs a conversion with --output");
            ManifestReader.Write(omPath, manifestPath, ModelDeclarations.Read(args));
            return 0;
        }
        catch (Atc.Options.AtcException e)
        {
            DiagnosticPrinter.PrintFailure(stdout, e.Diagnostics);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Atc.Runtime.Format.OmFormatException)
        {
            // A catalog code (E13004), so the build task reports it like any other compiler error.
            DiagnosticPrinter.PrintFailure(stdout, [Atc.Options.AtcErrors.WriteFailed(manifestPath, "manifest", e.Message.TrimEnd('.'))]);
            return 1;
        }
    }

    /// <summary>The .om a conversion writes: --output with ".om" appended (kept when already there); null without --output.</summary>
    public static string? OmPathOf(IReadOnlyList<string> args)
    {
        var output = OptionValue(args, "output");
        return output is null ? null : output.EndsWith(".om", StringComparison.OrdinalIgnoreCase) ? output : output + ".om";
    }

    /// <summary>The value of `--name=value` or `--name value` (the last one given), unquoted; null when absent.</summary>
    public static string? OptionValue(IReadOnlyList<string> args, string name)
    {
        string? value = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--" + name + "=", StringComparison.Ordinal)) value = args[i][(name.Length + 3)..];
            else if (args[i] == "--" + name && i + 1 < args.Count) value = args[i + 1];
        }
        return value?.Trim().Trim('"');
    }

    /// <summary>Writes the manifest through a temporary file, so a reader never sees half of it (E13004 on failure).</summary>
    public static void Write(ModelManifest manifest, string manifestPath)
        => AtomicFile.WriteAllText(manifestPath, manifest.ToText(), "manifest");
}
