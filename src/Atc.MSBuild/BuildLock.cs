using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace Atc.MSBuild
{
    /// <summary>
    /// An exclusive lock on a file in the models' output folder, held while a build compiles its models, so two builds
    /// of one project (two `dotnet build`s, a build and the IDE) take turns instead of racing on the same outputs.
    /// The operating system releases it when the process dies (an OS file lock, not a marker file), so a killed build
    /// never leaves the next one waiting. The file itself stays: deleting a lock file while another process waits on
    /// it would let a third process lock a new file at the same path.
    /// </summary>
    public sealed class BuildLock : IDisposable
    {
        public const string FileName = ".atc-build.lock";

        private readonly FileStream _stream;

        private BuildLock(FileStream stream) => _stream = stream;

        public enum Outcome { Acquired, TimedOut, Cancelled, Unavailable }

        /// <summary>Waits up to <paramref name="timeout"/> for the lock on <paramref name="path"/>, polling, until
        /// <paramref name="cancelled"/> says stop. <paramref name="problem"/> is the reason when it is Unavailable.</summary>
        public static Outcome TryAcquire(string path, TimeSpan timeout, Func<bool> cancelled, out BuildLock? buildLock, out string? problem)
        {
            buildLock = null;
            problem = null;
            var waited = Stopwatch.StartNew();
            while (true)
            {
                if (cancelled()) return Outcome.Cancelled;
                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                    // FileShare.None is an exclusive OS lock on Windows and an flock(LOCK_EX) on Unix.
                    buildLock = new BuildLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                    return Outcome.Acquired;
                }
                catch (UnauthorizedAccessException e)
                {
                    problem = e.Message.TrimEnd('.');
                    return Outcome.Unavailable;
                }
                catch (IOException e) when (!IsSharingViolation(path, e))
                {
                    problem = e.Message.TrimEnd('.');
                    return Outcome.Unavailable;
                }
                catch (IOException)
                {
                    if (waited.Elapsed >= timeout) return Outcome.TimedOut;
                    Thread.Sleep(100);
                }
            }
        }

        // A held lock shows as an IOException on an existing file; anything else (a missing drive, a file where a
        // folder should be) will not go away by waiting.
        private static bool IsSharingViolation(string path, IOException e) =>
            File.Exists(path) && !(e is DirectoryNotFoundException) && !(e is PathTooLongException);

        public void Dispose() => _stream.Dispose();
    }
}
