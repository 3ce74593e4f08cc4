using System.IO;

namespace Atc.MSBuild
{
    /// <summary>Moves a finished temporary file over its destination in one step, so a reader (the compiler, the IDE,
    /// a parallel build) never sees a half-written .om or manifest.</summary>
    public static class AtomicFile
    {
        public static void Replace(string temporaryPath, string destinationPath)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destinationPath))!);
            if (File.Exists(destinationPath)) File.Replace(temporaryPath, destinationPath, null, ignoreMetadataErrors: true);
            else File.Move(temporaryPath, destinationPath);
        }

    }
}
