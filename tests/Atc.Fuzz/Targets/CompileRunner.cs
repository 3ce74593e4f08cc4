using Atc.Compiler.Driver;
using Atc.Compiler.Frontends;
using Atc.Compiler.Shapes;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Fuzz.Targets;

/// <summary>
/// Runs the compiler the way `atc` does (<see cref="ModelCompiler.Compile"/> with the default services) in
/// --mode=3: import, shape rules, gears, passes and emitting in memory, nothing written. The model is a file because
/// the driver reads files; each worker process has its own directory.
/// </summary>
public sealed class CompileRunner(string workDirectory)
{
    private readonly ModelCompiler _compiler = new();

    public string WorkDirectory { get; } = workDirectory;

    public string WriteModel(string fileName, byte[] bytes)
    {
        Directory.CreateDirectory(WorkDirectory);
        var path = Path.Combine(WorkDirectory, fileName);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public CompileResult Compile(AtcCommandOptions options) => _compiler.Compile(options);

    public static AtcCommandOptions PreCheck(string modelPath, string framework) => new()
    {
        Model = modelPath,
        Framework = framework,
        Mode = "3",
        SocVersion = "Ascend310",
    };

    /// <summary>
    /// --input_shape that fixes the model's unknown dims to 1, read with the real importer, so cases of models with a
    /// dynamic batch get past ATC's "set input_shape" (E10001) into the passes. Null when the model does not import or
    /// has nothing unknown: the driver then reports it itself. Gears are the options target's job: a choice here that
    /// depended on the file's content would change while the shrinker cuts it.
    /// </summary>
    public static string? InputShapeFor(AtcFramework framework, byte[] model, string path)
    {
        ModelDeclaration declaration;
        try
        {
            declaration = ModelDeclarationBuilder.From(ModelImporters.Create(framework).Import(model, path));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
        var inputs = declaration.Inputs;
        if (inputs.Count == 0 || inputs.All(i => i.IsFullyKnown) || inputs.Any(i => i.HasUnknownRank)) return null;
        return string.Join(";", inputs.Select(i => i.Name + ":" + string.Join(",", i.Dims!.Select(d => d >= 0 ? d : 1))));
    }

    /// <summary>The code of a coded compiler error; ATC9999 (internal error) is reported as a crash, so never returned.</summary>
    public static string? CodeOf(Exception exception)
        => exception is AtcException atc && atc.Diagnostics.Count > 0 && atc.Diagnostics.All(d => d.Code != AtcErrorCatalog.ATC9999.Code)
            ? atc.Diagnostics[0].Code
            : null;
}
