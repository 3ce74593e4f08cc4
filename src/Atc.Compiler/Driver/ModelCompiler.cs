using Atc.Compiler.Aipp;
using Atc.Compiler.Emit;
using Atc.Compiler.Precision;
using Atc.Compiler.Frontends;
using Atc.Compiler.Ir;
using Atc.Compiler.Shapes;
using Atc.Compiler.Tooling;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.IO;
using Atc.Options.Parsing;
using Atc.Options.Rules;
using Google.Protobuf;

namespace Atc.Compiler.Driver;

/// <summary>
/// ATC's pipeline: validate the command line (every model-independent problem, and missing files, in one report) →
/// import the model (--framework 3 TensorFlow, 5 ONNX; the importer applies --out_nodes) → the model-dependent shape rules → gears →
/// passes → emit → write the .om atomically. --mode=3 runs everything up to and including emitting in memory (so every
/// gear is planned) and writes nothing; --mode=1 writes JSON. User mistakes throw <see cref="AtcException"/>.
/// </summary>
public sealed class ModelCompiler(CompilerServices? services = null)
{
    private readonly CompilerServices _services = services ?? CompilerServices.Default;

    /// <summary>The model-independent problems of a command line and its missing files, without reading the model.</summary>
    public static IReadOnlyList<AtcDiagnostic> CheckCommandLine(AtcCommandOptions options)
    {
        var validation = AtcCommandRules.Validate(options);
        return Errors(validation.Diagnostics).Concat(MissingFiles(validation.Command)).ToList();
    }

    public CompileResult Compile(AtcCommandOptions options, CompilerLog? log = null)
    {
        var validation = AtcCommandRules.Validate(options);
        var command = validation.Command;
        log ??= CompilerLog.None;
        var errors = Errors(validation.Diagnostics);
        var fileErrors = MissingFiles(command);
        if (errors.Count > 0 || fileErrors.Count > 0)
            throw new AtcException(WithModelFixes(options, command, errors).Concat(fileErrors));

        var warnings = validation.Diagnostics.Where(d => d.Severity == AtcSeverity.Warning).ToList();
        if (options.Get(AtcOptionNames.SingleOp) is { } singleOp)
        {
            var files = new SingleOp.SingleOpCompiler(_services).Compile(command, singleOp.Trim(), log);
            return new CompileResult(command.Mode, null, null, null, null, command.SocVersion, warnings) { SingleOpFiles = files };
        }
        if (command.Mode == AtcMode.ToJson && command.Framework is null)
            return DumpOm(command, log, warnings);

        var modelPath = SourceModelPath(command)!;
        var framework = command.Framework!.Value;
        if (command.Mode == AtcMode.ToJson)
            return DumpSourceModel(command, framework, modelPath, log, warnings);

        var deployment = DeploymentFiles.Read(command.Deployment, warnings);
        log.Info("Importing " + framework + " model [" + modelPath + "]");
        var graph = command.Deployment.CheckReportPath is { } reportPath
            ? ImportWithReport(command, framework, modelPath, reportPath, log)
            : ImportSelected(command, framework, modelPath);
        var signature = ModelDeclarationBuilder.From(graph);
        log.Info("Model inputs: " + string.Join(", ", signature.Inputs.Select(i => i.ToString())));

        var diagnostics = new List<AtcDiagnostic>();
        ShapeOptionRules.CheckAgainstModel(command.Shape, signature, diagnostics);
        DeploymentModelRules.Check(command.Deployment, deployment, graph, diagnostics);
        if (Errors(diagnostics).Count > 0) throw new AtcException(Errors(diagnostics));
        warnings.AddRange(diagnostics.Where(d => d.Severity == AtcSeverity.Warning));
        DeploymentSignature.Apply(command.Deployment, graph);
        signature = ModelDeclarationBuilder.From(graph);

        var gears = ShapeOptionsApplier.Apply(graph, command.Shape, GearExpansion.Expand(command.Shape, signature));
        log.Info("Shape profile: " + gears.Kind + ", " + gears.Gears.Count + " gear(s)");
        if (options.InsertOpConf is not null && string.IsNullOrWhiteSpace(options.InsertOpConf))
            throw new AtcException(AtcErrors.ValueEmpty(AtcOptionNames.InsertOpConf, "Give --insert_op_conf the path of an AIPP configuration file, or leave the option out."));
        if (!string.IsNullOrWhiteSpace(options.InsertOpConf))
        {
            gears = AippGraphRewrite.Apply(graph, gears, AippConfigFile.Load(options.InsertOpConf));
            log.Info("AIPP: " + string.Join(", ", graph.Inputs.Where(v => v.Type == Atc.Runtime.DataType.UInt8).Select(v => v.ToString())));
        }
        foreach (var gear in gears.Gears) log.Debug("  gear [" + string.Join(",", gear.Selector) + "] " + gear.Describe());

        if (deployment.DisabledPasses.Count > 0) log.Info("Passes switched off by --fusion_switch_file: " + string.Join(", ", deployment.DisabledPasses.Order(StringComparer.Ordinal)));
        _services.Optimize(graph, deployment.DisabledPasses);
        var precision = command.Deployment.WeightPrecision;
        int lowered = WeightPrecisionLowering.Apply(graph, precision, deployment.KeepDtype);
        if (lowered > 0) log.Info("Precision " + command.Deployment.EffectivePrecisionMode + ": " + lowered + " weight tensor(s) rounded to " + precision + " and stored in 16 bits");
        var modelName = Path.GetFileNameWithoutExtension(command.OutputPath ?? modelPath);
        var emitOptions = new EmitOptions(modelName, command.SocVersion ?? "",
            graph.SourceFramework.Length > 0 ? graph.SourceFramework : ModelImporters.SourceName(framework))
        {
            ArenaLimitBytes = ArenaLimit.FromOption(command.ArenaLimitMb),
            PrecisionMode = command.Deployment.EffectivePrecisionMode ?? "",
            WeightStorage = WeightPrecisionLowering.StorageOf(precision),
        };
        var compiled = _services.Emit(graph, gears, emitOptions);
        var bytes = compiled.OmBytes;
        log.Info("Planned " + gears.Gears.Count + " gear(s); .om size " + bytes.Length + " bytes");

        switch (command.Mode)
        {
            case AtcMode.Convert:
                AtomicFile.WriteAllBytes(command.OutputPath!, bytes, AtcOptionNames.Output);
                log.Info("Wrote [" + command.OutputPath + "]");
                return new CompileResult(command.Mode, command.OutputPath, null, gears, signature, command.SocVersion, warnings) { Model = compiled };
            case AtcMode.ToJson:
                AtomicFile.WriteAllText(command.JsonPath!, _services.DescribeJson(compiled), AtcOptionNames.Json);
                return new CompileResult(command.Mode, null, command.JsonPath, gears, signature, command.SocVersion, warnings) { Model = compiled };
            default:
                log.Info("Pre-check passed; nothing written (--mode=3)");
                return new CompileResult(command.Mode, null, null, gears, signature, command.SocVersion, warnings) { Model = compiled };
        }
    }

    private static List<AtcDiagnostic> Errors(IEnumerable<AtcDiagnostic> diagnostics)
        => diagnostics.Where(d => d.Severity == AtcSeverity.Error).ToList();

    /// <summary>The model to import: --model, or --om with --framework in --mode=1.</summary>
    private static string? SourceModelPath(AtcCommand command)
        => command.Mode == AtcMode.ToJson ? (command.Framework is null ? null : command.OmPath) : command.ModelPath;

    private static List<AtcDiagnostic> MissingFiles(AtcCommand command)
    {
        var missing = new List<AtcDiagnostic>();
        if (command.ModelPath != null && !File.Exists(command.ModelPath))
            missing.Add(AtcErrors.FileNotFound(command.ModelPath, AtcOptionNames.Model));
        if (command.Mode == AtcMode.ToJson && command.OmPath != null && !File.Exists(command.OmPath))
            missing.Add(AtcErrors.FileNotFound(command.OmPath, AtcOptionNames.Om));
        if (command.WeightPath != null && !File.Exists(command.WeightPath))
            missing.Add(AtcErrors.FileNotFound(command.WeightPath, AtcOptionNames.Weight));
        if (command.Raw.Get(AtcOptionNames.SingleOp) is { } singleOp && singleOp.Trim().Length > 0 && !File.Exists(singleOp.Trim()))
            missing.Add(AtcErrors.FileNotFound(singleOp.Trim(), AtcOptionNames.SingleOp));
        foreach (var (option, path) in new[] { (AtcOptionNames.KeepDtype, command.Deployment.KeepDtypePath), (AtcOptionNames.FusionSwitchFile, command.Deployment.FusionSwitchPath) })
            if (path != null && !File.Exists(path)) missing.Add(AtcErrors.FileNotFound(path, option));
        return missing;
    }

    /// <summary>
    /// The option errors again, with fixes made concrete from the model's declared shapes (the seed's fix
    /// "Placeholder:-1,224,224,3" needs the model's 224). Best effort: if the model cannot be read, the errors stay as they are.
    /// </summary>
    private List<AtcDiagnostic> WithModelFixes(AtcCommandOptions options, AtcCommand command, List<AtcDiagnostic> errors)
    {
        var modelPath = SourceModelPath(command);
        if (errors.Count == 0 || command.Framework is null || modelPath is null || !File.Exists(modelPath)) return errors;
        if (!errors.Any(d => d.Parameter is AtcOptionNames.InputShape or AtcOptionNames.DynamicBatchSize
                or AtcOptionNames.DynamicImageSize or AtcOptionNames.DynamicDims)) return errors;
        try
        {
            var signature = ModelDeclarationBuilder.From(Import(command.Framework.Value, modelPath, [], command.WeightPath));
            var again = Errors(AtcCommandRules.Validate(options, signature).Diagnostics);
            return again.Count == errors.Count ? again : errors;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return errors;
        }
    }

    /// <summary>
    /// The graph with --out_nodes applied by the importer (on the source graph, before lowering). Bad --out_nodes
    /// come with the shape-option errors in one report when the whole model imports (best effort, as for fixes).
    /// </summary>
    private Graph ImportSelected(AtcCommand command, AtcFramework framework, string modelPath)
    {
        try
        {
            return Import(framework, modelPath, command.OutNodes, command.WeightPath);
        }
        catch (AtcException e) when (command.OutNodes.Count > 0 && e.Diagnostics.All(d => d.Parameter == AtcOptionNames.OutNodes))
        {
            var diagnostics = new List<AtcDiagnostic>(e.Diagnostics);
            try
            {
                var signature = ModelDeclarationBuilder.From(Import(framework, modelPath, [], command.WeightPath));
                ShapeOptionRules.CheckAgainstModel(command.Shape, signature, diagnostics);
            }
            catch (AtcException)
            {
                // The whole model does not import (e.g. unsupported ops after the named outputs): the --out_nodes errors stand alone.
            }
            throw new AtcException(Errors(diagnostics));
        }
    }

    private Graph Import(AtcFramework framework, string path, IReadOnlyList<OutNodeSpec> outNodes, string? weightPath)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AtcException(AtcErrors.ReadFailed(path, AtcOptionNames.Model, e.Message.TrimEnd('.')));
        }
        var importer = _services.CreateImporter(framework, weightPath);
        try
        {
            var graph = importer.Import(bytes, path, outNodes);
            ImportedGraphCheck.Validate(graph); // also for importers other than the built-in ones
            if (graph.SourceFramework.Length == 0) graph.SourceFramework = ModelImporters.SourceName(framework);
            return graph;
        }
        catch (InvalidProtocolBufferException e)
        {
            // Importers report malformed files themselves; this is the safety net.
            throw new AtcException(AtcErrors.ModelParseFailed(path, ModelImporters.DisplayName(framework), e.Message.TrimEnd('.')));
        }
    }

    /// <summary>
    /// --check_report: the report is written from the original model whether or not it imports, so a model with
    /// unsupported ops gets every node's verdict, then the import's errors (ATC1200, ...) as usual.
    /// </summary>
    private Graph ImportWithReport(AtcCommand command, AtcFramework framework, string modelPath, string reportPath, CompilerLog log)
    {
        var source = ReadSource(framework, modelPath);
        try
        {
            var graph = ImportSelected(command, framework, modelPath);
            AtomicFile.WriteAllText(reportPath, CheckReport.ToJson(source, modelPath), AtcOptionNames.CheckReport);
            log.Info("Wrote the op-support report [" + reportPath + "]");
            return graph;
        }
        catch (AtcException e)
        {
            AtomicFile.WriteAllText(reportPath, CheckReport.ToJson(source, modelPath, e.Diagnostics), AtcOptionNames.CheckReport);
            log.Info("Wrote the op-support report [" + reportPath + "]");
            throw;
        }
    }

    /// <summary>--mode=1 on an original model: the model as the file declares it, with no shape option needed.</summary>
    private static CompileResult DumpSourceModel(AtcCommand command, AtcFramework framework, string modelPath, CompilerLog log, List<AtcDiagnostic> warnings)
    {
        log.Info("Dumping the original model [" + modelPath + "] to [" + command.JsonPath + "]");
        AtomicFile.WriteAllText(command.JsonPath!, SourceModelJson.ToJson(ReadSource(framework, modelPath)), AtcOptionNames.Json);
        return new CompileResult(command.Mode, null, command.JsonPath, null, null, null, warnings);
    }

    private static SourceModel ReadSource(AtcFramework framework, string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AtcException(AtcErrors.ReadFailed(path, AtcOptionNames.Model, e.Message.TrimEnd('.')));
        }
        return SourceModelReader.Read(framework, bytes, path);
    }

    private CompileResult DumpOm(AtcCommand command, CompilerLog log, List<AtcDiagnostic> warnings)
    {
        var om = command.OmPath!;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(om);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AtcException(AtcErrors.ReadFailed(om, AtcOptionNames.Om, e.Message.TrimEnd('.')));
        }
        log.Info("Dumping [" + om + "] to [" + command.JsonPath + "]");
        AtomicFile.WriteAllText(command.JsonPath!, _services.DumpJson(bytes, om), AtcOptionNames.Json);
        return new CompileResult(command.Mode, null, command.JsonPath, null, null, null, warnings);
    }
}
