using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>
    /// This project's own ids of the build integration, range ATC0001-ATC0099: the analyzers (ATC0001, ATC0010), the
    /// MSBuild task and targets (ATC0002-ATC0005) and the source generator (ATC9001-ATC9003). ATC has no build
    /// integration, so it has no code for these. The ids are constants so that Roslyn's release tracking
    /// (AnalyzerReleases.*.md) can read them where the analyzers and the generator create their descriptors.
    /// Part of <see cref="AtcErrorCatalog.All"/>.
    /// </summary>
    public static class AtcToolingErrorCatalog
    {
        public const string OtherOptionRuleId = "ATC0001";
        public const string CompilerMissingId = "ATC0002";
        public const string CompilerTimeoutId = "ATC0003";
        public const string CompilerFailedId = "ATC0004";
        public const string RuntimeReferenceMissingId = "ATC0005";
        public const string BatchOutsideGearsId = "ATC0010";
        public const string UnreadableManifestId = "ATC9001";
        public const string InvalidClassNameId = "ATC9002";
        public const string DuplicateClassNameId = "ATC9003";

        /// <summary>Analyzer: a code the catalog does not list (a newer compiler's), reported with its code in the text.</summary>
        public static readonly AtcErrorDescriptor ATC0001 = new AtcErrorDescriptor(OtherOptionRuleId, "Invalid_Atc_Option",
            "{0}", null, null, AtcErrorOrigin.Project);

        /// <summary>MSBuild task: atc.dll is not where the package put it.</summary>
        public static readonly AtcErrorDescriptor ATC0002 = new AtcErrorDescriptor(CompilerMissingId, "Compiler_Not_Found",
            "The model compiler was not found at '{0}'.", null,
            "Restore the Atc.Build package again, or set AtcCompilerPath to atc.dll.", AtcErrorOrigin.Project);

        /// <summary>MSBuild task: the compiler ran past AtcCompileTimeoutSeconds and was stopped.</summary>
        public static readonly AtcErrorDescriptor ATC0003 = new AtcErrorDescriptor(CompilerTimeoutId, "Compile_Timeout",
            "Compiling '{0}' took longer than {1} s and was stopped.", null,
            "Set AtcCompileTimeoutSeconds to allow more time.", AtcErrorOrigin.Project);

        /// <summary>MSBuild task: the compiler failed without printing a coded diagnostic.</summary>
        public static readonly AtcErrorDescriptor ATC0004 = new AtcErrorDescriptor(CompilerFailedId, "Compiler_Failed",
            "The model compiler failed on '{0}' (exit code {1}) without a diagnostic. Its output:{2}", null,
            "This is a bug in the compiler; report it with the model and the item's metadata.", AtcErrorOrigin.Project);

        /// <summary>MSBuild targets (Atc.Build.targets, text kept equal by a test): models but no runtime reference.</summary>
        public static readonly AtcErrorDescriptor ATC0005 = new AtcErrorDescriptor(RuntimeReferenceMissingId, "Runtime_Reference_Missing",
            "This project compiles models (AscendModel items) but does not reference the runtime the generated wrappers use. Add <PackageReference Include=\"Atc.Runtime\" Version=\"...\" />.",
            null, null, AtcErrorOrigin.Project);

        /// <summary>Analyzer (warning): a constant batch passed to a wrapper's RunNearest/NearestBatchSize outside its gears.</summary>
        public static readonly AtcErrorDescriptor ATC0010 = new AtcErrorDescriptor(BatchOutsideGearsId, "Batch_Outside_Gears",
            "Batch size {0} is outside the gears of {1} ({2}): the call throws ArgumentOutOfRangeException. Split the batch, or add a gear of at least {0} to DynamicBatchSize.",
            null, null, AtcErrorOrigin.Project, AtcSeverity.Warning);

        /// <summary>Source generator: a model manifest written by the build cannot be read.</summary>
        public static readonly AtcErrorDescriptor ATC9001 = new AtcErrorDescriptor(UnreadableManifestId, "Unreadable_Model_Manifest",
            "The model manifest '{0}' could not be read: {1}. Rebuild the project so the compiler writes it again.",
            null, null, AtcErrorOrigin.Project);

        /// <summary>Source generator: ClassName is not a C# identifier.</summary>
        public static readonly AtcErrorDescriptor ATC9002 = new AtcErrorDescriptor(InvalidClassNameId, "Invalid_Wrapper_Class_Name",
            "'{0}' is not a valid C# class name for the model wrapper. Set ClassName on the AscendModel item to an identifier such as 'TinyModel'.",
            null, null, AtcErrorOrigin.Project);

        /// <summary>Source generator: two AscendModel items generate the same class.</summary>
        public static readonly AtcErrorDescriptor ATC9003 = new AtcErrorDescriptor(DuplicateClassNameId, "Duplicate_Wrapper_Class",
            "The models '{0}' and '{1}' both generate the class '{2}'. Set a distinct ClassName on one of the AscendModel items.",
            null, null, AtcErrorOrigin.Project);

        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new[]
        {
            ATC0001, ATC0002, ATC0003, ATC0004, ATC0005, ATC0010, ATC9001, ATC9002, ATC9003,
        };

        /// <summary>Whether a code is one of these ids (they are not option rules of the compiler).</summary>
        public static bool Contains(string code)
        {
            foreach (var entry in All)
                if (entry.Code == code) return true;
            return false;
        }
    }
}
