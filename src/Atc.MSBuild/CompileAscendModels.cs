using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.IO;
using Atc.Options.ItemRules;
using Atc.Options.Manifest;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Atc.MSBuild
{
    /// <summary>
    /// Compiles each AscendModel item to an .om and its manifest by running the `atc` compiler out of process
    /// (`dotnet atc.dll ...`). The shape-option rules are checked here first, in process, and reported at the
    /// offending attribute of the project file; the model-dependent errors the compiler finds are reported at the
    /// attribute they name. Outputs are written to temporary files unique to this build and model and moved into place
    /// only on success; concurrent builds of one project take turns through a lock on the output folder.
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

        /// <summary>
        /// Design-time builds: only check what can be checked without the compiler (each model file exists) and
        /// report it with the code and text a real build reports; compile nothing.
        /// </summary>
        public bool CheckOnly { get; set; }

        /// <summary>How long to wait for another build of the project that is compiling the same models.</summary>
        public int LockTimeoutSeconds { get; set; } = 600;

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
            if (CheckOnly)
            {
                foreach (var model in Models) ModelFileExists(model, new ProblemReporter(Log, DefiningProject(model), model.GetMetadata("AtcModel")));
                return !Log.HasLoggedErrors;
            }
            if (!File.Exists(CompilerPath))
            {
                Log.LogError(null, AtcToolingErrorCatalog.CompilerMissingId, null, HelpLinks.ForCode(AtcToolingErrorCatalog.CompilerMissingId),
                    ProjectPath, 0, 0, 0, 0, "{0}", WithSolution(AtcToolingErrorCatalog.ATC0002, CompilerPath));
                return false;
            }

            // One lock per output folder, taken in a fixed order, so concurrent builds of the project take turns.
            var folders = Models.Select(m => Path.GetDirectoryName(Path.GetFullPath(m.GetMetadata("OmPath")))!)
                .Distinct(StringComparer.Ordinal).OrderBy(f => f, StringComparer.Ordinal).ToList();
            var locks = new List<BuildLock>();
            try
            {
                foreach (var folder in folders)
                {
                    var held = Lock(folder);
                    if (held is null) return false;
                    locks.Add(held);
                    foreach (var removed in StaleTemporaries.Remove(folder))
                        Log.LogMessage(MessageImportance.Normal, "Removed {0}, left by an earlier build that was stopped.", removed);
                }

                var compiled = new List<ITaskItem>();
                foreach (var model in Models)
                {
                    if (_cancelled) break;
                    if (CompiledMeanwhile(model) || Compile(model)) compiled.Add(new TaskItem(model.GetMetadata("OmPath")));
                }
                CompiledModels = compiled.ToArray();
                return !Log.HasLoggedErrors && !_cancelled;
            }
            finally
            {
                foreach (var held in locks) held.Dispose();
            }
        }

        private BuildLock? Lock(string folder)
        {
            var path = Path.Combine(folder, BuildLock.FileName);
            var timeout = TimeSpan.FromSeconds(Math.Max(0, LockTimeoutSeconds));
            switch (BuildLock.TryAcquire(path, TimeSpan.Zero, () => _cancelled, out var held, out _))
            {
                case BuildLock.Outcome.Acquired:
                    return held;
                case BuildLock.Outcome.Cancelled:
                    return null;
            }
            Log.LogMessage(MessageImportance.High, "Waiting for another build of this project to finish compiling its models ({0})...", path);
            switch (BuildLock.TryAcquire(path, timeout, () => _cancelled, out held, out var problem))
            {
                case BuildLock.Outcome.Acquired:
                    return held;
                case BuildLock.Outcome.TimedOut:
                    LogCatalogError(AtcBuildErrorCatalog.ATC0100, folder, LockTimeoutSeconds, path);
                    return null;
                case BuildLock.Outcome.Unavailable:
                    LogCatalogError(AtcBuildErrorCatalog.ATC0103, path, problem ?? "unknown");
                    return null;
                default:
                    return null;
            }
        }

        /// <summary>A build that held the lock before us may have compiled this model already with the same options:
        /// its .om and manifest are then newer than the options stamp, the same test MSBuild's Inputs/Outputs made.</summary>
        private bool CompiledMeanwhile(ITaskItem model)
        {
            var stamp = model.GetMetadata("StampPath");
            if (stamp.Length == 0 || !File.Exists(stamp)) return false;
            var stampTime = File.GetLastWriteTimeUtc(stamp);
            var om = model.GetMetadata("OmPath");
            var manifest = model.GetMetadata("ManifestPath");
            if (!File.Exists(om) || !File.Exists(manifest)) return false;
            if (File.GetLastWriteTimeUtc(om) < stampTime || File.GetLastWriteTimeUtc(manifest) < stampTime) return false;
            Log.LogMessage(MessageImportance.Normal, "Model {0} is up to date (compiled by a concurrent build).", model.GetMetadata("AtcModel"));
            return true;
        }

        private void LogCatalogError(AtcErrorDescriptor descriptor, params object[] args)
        {
            var diagnostic = descriptor.Create(null, null, args);
            Log.LogError(null, descriptor.Code, null, HelpLinks.ForCode(descriptor.Code), ProjectPath, 0, 0, 0, 0, "{0}",
                diagnostic.Message + (diagnostic.Solution is null ? "" : " Solution: " + diagnostic.Solution));
        }

        private bool Compile(ITaskItem model)
        {
            var modelPath = model.GetMetadata("ModelFullPath");
            var itemSpec = model.GetMetadata("AtcModel");
            var omPath = Path.GetFullPath(model.GetMetadata("OmPath"));
            var manifestPath = Path.GetFullPath(model.GetMetadata("ManifestPath"));
            var reporter = new ProblemReporter(Log, DefiningProject(model), itemSpec);

            foreach (var (name, unknown) in UnknownMetadata.Find(model, itemSpec))
                reporter.Warning(unknown.Code, OptionProblem.FormatMessage(unknown), name);
            var options = new AscendModelOptions(modelPath, name => model.GetMetadata(name));
            var problems = OptionRuleAdapter.Check(options, ManifestDeclarations.From(LastManifest(manifestPath)));
            if (problems.Count > 0)
            {
                foreach (var problem in problems) reporter.Error(problem.Diagnostic.Code, problem.FullMessage, problem.Attribute);
                return false;
            }
            if (!ModelFileExists(model, reporter)) return false;
            if (options.Framework is null)
            {
                var unknown = AtcErrors.InvalidValue(AtcOptionNames.Framework, itemSpec,
                    "the framework cannot be inferred from the file extension", "Set Framework=\"0\" (Caffe .prototxt with Weight=\"x.caffemodel\"), Framework=\"3\" (TensorFlow .pb) or Framework=\"5\" (ONNX).");
                reporter.Error(unknown.Code, OptionProblem.FormatMessage(unknown), "Framework");
                return false;
            }

            var partial = new PartialOutputs(omPath, Path.GetFileNameWithoutExtension(modelPath));
            Directory.CreateDirectory(partial.Folder);
            var arguments = new List<string>
            {
                CompilerPath,
                "--model=" + modelPath,
                "--framework=" + options.Framework,
                "--output=" + partial.OutputBase,
                "--soc_version=" + (options.SocVersion ?? "Ascend310"),
            };
            arguments.AddRange(options.ToArguments());
            arguments.Add("--manifest=" + partial.Manifest);

            var host = string.IsNullOrEmpty(DotNetHostPath) ? "dotnet" : DotNetHostPath;
            Log.LogMessage(MessageImportance.Normal, "Compiling model {0}", itemSpec);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Log.LogCommandLine(MessageImportance.Low, host + " " + CommandLine.Join(arguments));
            var result = _runner.Run(host, CommandLine.Join(arguments), Path.GetDirectoryName(ProjectPath.Length > 0 ? Path.GetFullPath(ProjectPath) : modelPath)!,
                TimeSpan.FromSeconds(TimeoutSeconds));

            try
            {
                if (result.Cancelled) return false;
                if (result.TimedOut)
                {
                    reporter.Error(AtcToolingErrorCatalog.CompilerTimeoutId, WithSolution(AtcToolingErrorCatalog.ATC0003, itemSpec, TimeoutSeconds), null);
                    return false;
                }
                foreach (var line in result.Output) Log.LogMessage(MessageImportance.Low, line);
                var diagnostics = CompilerOutputParser.Parse(result.Output);
                foreach (var diagnostic in diagnostics)
                {
                    var attribute = OptionRuleAdapter.AttributeFor(CompilerOutputParser.OptionNamed(diagnostic.Message));
                    // The compiler words fixes for its command line (--input_shape="..."); the user edits the item.
                    var message = OptionRuleAdapter.AsAttributes(diagnostic.Message)!;
                    if (diagnostic.IsWarning) reporter.Warning(diagnostic.Code, message, attribute);
                    else reporter.Error(diagnostic.Code, message, attribute);
                }
                // Success needs all three: exit code 0, no coded error, both files. Each failure is reported with a code.
                var reportedError = diagnostics.Any(d => !d.IsWarning);
                if (result.ExitCode != 0)
                {
                    if (!reportedError)
                    {
                        var tail = string.Join(Environment.NewLine, result.Output.Skip(Math.Max(0, result.Output.Count - 20)));
                        reporter.Error(AtcToolingErrorCatalog.CompilerFailedId, AtcToolingErrorCatalog.ATC0004.FormatMessage(itemSpec, result.ExitCode, Environment.NewLine + tail), null);
                    }
                    return false;
                }
                if (reportedError) return false;
                foreach (var written in new[] { partial.Om, partial.Manifest })
                {
                    if (File.Exists(written)) continue;
                    var missing = AtcBuildErrorCatalog.ATC0101.Create(null, null, itemSpec, written);
                    reporter.Error(missing.Code, missing.Message + " Solution: " + missing.Solution, null);
                    return false;
                }
                if (!MoveIntoPlace(partial.Om, omPath, reporter) || !MoveIntoPlace(partial.Manifest, manifestPath, reporter)) return false;
                Log.LogMessage(MessageImportance.High, "{0}", CompiledSummary.Format(itemSpec, manifestPath, omPath, clock.Elapsed));
                return true;
            }
            finally
            {
                TryDeleteFolder(partial.Folder);
            }
        }

        /// <summary>E13000 at the item's Include when the model file is missing: the same in real and design-time builds.</summary>
        private static bool ModelFileExists(ITaskItem model, ProblemReporter reporter)
        {
            var path = model.GetMetadata("ModelFullPath");
            if (File.Exists(path)) return true;
            var missing = AtcErrorCatalog.E13000.Create(AtcOptionNames.Model,
                "Check the AscendModel item's Include=\"" + model.GetMetadata("AtcModel") + "\": the file [" + path + "] does not exist. Add the model file or correct the path.",
                "[" + path + "]", "No such file or directory");
            reporter.Error(missing.Code, OptionProblem.FormatMessage(missing), "Include");
            return false;
        }

        private static bool MoveIntoPlace(string temporary, string destination, ProblemReporter reporter)
        {
            try
            {
                AtomicFile.Replace(temporary, destination);
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                var failed = AtcBuildErrorCatalog.ATC0102.Create(null, null, temporary, destination, e.Message.TrimEnd('.'));
                reporter.Error(failed.Code, failed.Message + " Solution: " + failed.Solution, null);
                return false;
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

        private static void TryDeleteFolder(string path)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Left over: the next build removes it once this process has exited (StaleTemporaries).
            }
        }

        // The task's own messages carry the catalog's solution in the same line (MSBuild shows one text).
        private static string WithSolution(AtcErrorDescriptor entry, params object[] args)
            => entry.FormatMessage(args) + (entry.Solution is null ? "" : " " + entry.Solution);
    }
}
