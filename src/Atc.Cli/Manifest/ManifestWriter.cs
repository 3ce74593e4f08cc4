using Atc.Compiler.Driver;
using Atc.Options;
using Atc.Options.Errors;
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
    /// Writes the manifest of the model a successful conversion produced (from the compiler's result object: nothing
    /// is imported or read back). Returns the exit code: 1 with a coded report when it cannot be written.
    /// </summary>
    public static int WriteFor(CompileResult result, string manifestPath, TextWriter stdout)
    {
        try
        {
            if (result.Mode != AtcMode.Convert || result.Model is null)
                throw new InvalidOperationException("--manifest needs a conversion with --output");
            Write(ManifestBuilder.From(result.Model, result.Signature), manifestPath);
            return 0;
        }
        catch (AtcException e)
        {
            DiagnosticPrinter.PrintFailure(stdout, e.Diagnostics);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // A catalog code (E13004), so the build task reports it like any other compiler error.
            DiagnosticPrinter.PrintFailure(stdout, [AtcErrors.WriteFailed(manifestPath, "manifest", e.Message.TrimEnd('.'))]);
            return 1;
        }
    }

    /// <summary>Writes the manifest through a temporary file, so a reader never sees half of it (E13004 on failure).</summary>
    public static void Write(ModelManifest manifest, string manifestPath)
        => AtomicFile.WriteAllText(manifestPath, manifest.ToText(), "manifest");
}
