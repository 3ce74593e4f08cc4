using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>
    /// This project's own codes for the build integration (the MSBuild task), range ATC0100-ATC0199: ATC has no build
    /// task, so it has no code for these cases. Part of <see cref="AtcErrorCatalog.All"/>; kept in a class of its own so
    /// its static fields are initialised before the catalog lists them.
    /// </summary>
    public static class AtcBuildErrorCatalog
    {
        /// <summary>Another build (a second `dotnet build`, the IDE) holds the lock of the models' output folder.</summary>
        public static readonly AtcErrorDescriptor ATC0100 = new AtcErrorDescriptor("ATC0100", "Build_Lock_Timeout",
            "Another build is compiling this project's models into [{0}] and did not finish within {1} s (lock file [{2}]).",
            "Two builds of the same project and configuration ran at once; they take turns compiling the models.",
            "Wait for the other build to finish and build again, or allow a longer wait with the property AtcLockTimeoutSeconds.",
            AtcErrorOrigin.Project);

        /// <summary>The compiler exited with 0 but one of the files it must write is missing.</summary>
        public static readonly AtcErrorDescriptor ATC0101 = new AtcErrorDescriptor("ATC0101", "Compiler_Output_Missing",
            "The model compiler reported success on [{0}] (exit code 0) but did not write [{1}].",
            "Something removed the file between the compiler writing it and the build reading it (a cleaner, an antivirus, a disk error).",
            "Build again; if it repeats, run the compiler command line the build logs at -v:detailed and report its output.",
            AtcErrorOrigin.Project);

        /// <summary>The compiled model or manifest could not be moved from its temporary name into place.</summary>
        public static readonly AtcErrorDescriptor ATC0102 = new AtcErrorDescriptor("ATC0102", "Output_Replace_Failed",
            "The compiled file [{0}] could not be moved into place at [{1}]. Reason: {2}.",
            null,
            "Check that the obj folder is writable and that no other program holds [{1}] open, then build again.",
            AtcErrorOrigin.Project);

        /// <summary>The lock file of the models' output folder cannot be created or opened at all (not a wait).</summary>
        public static readonly AtcErrorDescriptor ATC0103 = new AtcErrorDescriptor("ATC0103", "Build_Lock_Unavailable",
            "The build lock [{0}] cannot be opened. Reason: {1}.",
            null,
            "Check that the obj folder of the project is writable by the user running the build.",
            AtcErrorOrigin.Project);

        /// <summary>Every build-task descriptor, in code order.</summary>
        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new[] { ATC0100, ATC0101, ATC0102, ATC0103 };
    }
}
