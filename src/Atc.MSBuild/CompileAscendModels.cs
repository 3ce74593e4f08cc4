using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Atc.Analyzers.OptionRules;
using Atc.Options.Manifest;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Atc.MSBuild
{
    /// <summary>
    /// Compiles each AscendModel item to an .om and its manifest by running the `atc` compiler out of process
    /// (`dotnet atc.dll ...`). The shape-option rules are checked here first, in process, and reported at the
    /// offending attribute of the project file; the model-dependent errors the compiler finds are reported at the
    /// attribute they name. Outputs are written to temporary files and moved into place only on success.
    /// </summary>
    public sealed class CompileAscendModels : Task, ICancelableTask
    {
        private readonly ProcessRunner _runner = new ProcessRunner();
        private volatile bool _cancelled;

        /// <summary>
        /// The models. Metadata: ModelFullPath, OmPath, ManifestPath, AtcDefiningProject, and the ATC options
        /// (InputShape, InputFormat, DynamicBatchSize, DynamicImageSize, DynamicDims, InputShapeRange, OutNodes,
        /// SocVersion, Framework).
        /// </summary>
        [Required]
        public ITaskItem[] Models { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>Path of the compiler, atc.dll.</summary>
        [Required]
        public string CompilerPath { get; set; } = "";

        /// <summary>The dotnet host that runs atc.dll (DOTNET_HOST_PATH in SDK builds).</summary>
        public string DotNetHostPath { get; set; } = "";

        /// <summary>The project being built, where problems are reported when an item's defining file is unknown.</summary>
        public string ProjectPath { get; set; } = "";

        public int TimeoutSeconds { get; set; } = 600;

        /// <summary>The .om files written.</summary>
        [Output]
        public ITaskItem[] CompiledModels { get; set; } = Array.Empty<ITaskItem>();

        public void Cancel()
        {
            _cancelled = true;
            _runner.Cancel();
        }

        public override bool Execute()
        {
            if (!File.Exists(CompilerPath))
            {
                Log.LogError(null, "ATC0002", null, ProjectPath, 0, 0, 0, 0,
                    "The model compiler was not found at '{0}'. Restore the Atc.Build package again, or set AtcCompilerPath to atc.dll.", CompilerPath);
                return false;
            }

            var compiled = new List<ITaskItem>();
            foreach (var model in Models)
            {
                if (_cancelled) break;
                if (Compile(model)) compiled.Add(new TaskItem(model.GetMetadata("OmPath")));
            }
            CompiledModels = compiled.ToArray();
            return !Log.HasLoggedErrors && !_cancelled;
        }

        private bool Compile(ITaskItem model)
        {
            var modelPath = model.GetMetadata("ModelFullPath");
            var itemSpec = model.GetMetadata("AtcModel");
            var omPath = Path.GetFullPath(model.GetMetadata("OmPath"));
            var manifestPath = Path.GetFullPath(model.GetMetadata("ManifestPath"));
            var reporter = new ProblemReporter(Log, DefiningProject(model), itemSpec);

            var options = new AscendModelOptions(modelPath, name => model.GetMetadata(name));
            var problems = OptionRuleAdapter.Check(options, ManifestDeclarations.From(LastManifest(manifestPath)));
            if (problems.Count > 0)
            {
                foreach (var problem in problems) reporter.Error(problem.Diagnostic.Code, problem.FullMessage, problem.Attribute);
                return false;
            }
            if (options.Framework is null)
            {
                var unknown = Atc.Options.AtcErrors.InvalidValue(Atc.Options.AtcOptionNames.Framework, itemSpec,
                    "the framework cannot be inferred from the file extension", "Set Framework=\"3\" (TensorFlow .pb) or Framework=\"5\" (ONNX).");
                reporter.Error(unknown.Code, OptionProblem.FormatMessage(unknown), "Framework");
                return false;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(omPath)!);
            var partialBase = omPath.Substring(0, omPath.Length - ".om".Length) + ".partial";
            var partialManifest = manifestPath + ".partial";
            var arguments = new List<string>
            {
                CompilerPath,
                "--model=" + modelPath,
                "--framework=" + options.Framework,
                "--output=" + partialBase,
                "--soc_version=" + (options.SocVersion ?? "Ascend310"),
            };
            arguments.AddRange(options.ToArguments());
            arguments.Add("--manifest=" + partialManifest);

            var host = string.IsNullOrEmpty(DotNetHostPath) ? "dotnet" : DotNetHostPath;
            Log.LogMessage(MessageImportance.Normal, "Compiling model {0}", itemSpec);
            Log.LogCommandLine(MessageImportance.Low, host + " " + CommandLine.Join(arguments));
            var result = _runner.Run(host, CommandLine.Join(arguments), Path.GetDirectoryName(ProjectPath.Length > 0 ? Path.GetFullPath(ProjectPath) : modelPath)!,
                TimeSpan.FromSeconds(TimeoutSeconds));

            try
            {
                if (result.Cancelled) return false;
                if (result.TimedOut)
                {
                    reporter.Error("ATC0003", "Compiling '" + itemSpec + "' took longer than " + TimeoutSeconds + " s and was stopped. Set AtcCompileTimeoutSeconds to allow more time.", null);
                    return false;
                }
                foreach (var line in result.Output) Log.LogMessage(MessageImportance.Low, line);
                var diagnostics = CompilerOutputParser.Parse(result.Output);
                foreach (var diagnostic in diagnostics)
                {
                    var attribute = OptionRuleAdapter.AttributeFor(CompilerOutputParser.OptionNamed(diagnostic.Message));
                    if (diagnostic.IsWarning) reporter.Warning(diagnostic.Code, diagnostic.Message, attribute);
                    else reporter.Error(diagnostic.Code, diagnostic.Message, attribute);
                }
                if (result.ExitCode != 0 || !File.Exists(partialBase + ".om") || !File.Exists(partialManifest))
                {
                    if (!diagnostics.Any(d => !d.IsWarning))
                    {
                        var tail = string.Join(Environment.NewLine, result.Output.Skip(Math.Max(0, result.Output.Count - 20)));
                        reporter.Error("ATC0004", "The model compiler failed on '" + itemSpec + "' (exit code " + result.ExitCode + ") without a diagnostic. Its output:" + Environment.NewLine + tail, null);
                    }
                    return false;
                }
                AtomicFile.Replace(partialBase + ".om", omPath);
                AtomicFile.Replace(partialManifest, manifestPath);
                return true;
            }
            finally
            {
                TryDelete(partialBase + ".om");
                TryDelete(partialManifest);
            }
        }

        private string DefiningProject(ITaskItem model)
        {
            var defining = model.GetMetadata("AtcDefiningProject");
            return defining.Length > 0 ? defining : ProjectPath;
        }

        /// <summary>The previous build's manifest (its declared inputs word the fixes); null when there is none.</summary>
        private static ModelManifest? LastManifest(string manifestPath)
        {
            try
            {
                if (!File.Exists(manifestPath)) return null;
                return ManifestFormat.TryParse(File.ReadAllText(manifestPath), out var manifest, out _) ? manifest : null;
            }
            catch (IOException)
            {
                return null;
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (IOException)
            {
                // A leftover partial file is overwritten by the next build and removed by Clean.
            }
        }
    }
}
