using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace Atc.MSBuild
{
    /// <summary>Runs the compiler process, collecting its output lines; can be cancelled (Ctrl+C, IDE cancel) and times out.</summary>
    public sealed class ProcessRunner
    {
        private Process? _process;
        private volatile bool _cancelled;

        public sealed class Result
        {
            public Result(int exitCode, IReadOnlyList<string> output, bool timedOut, bool cancelled)
            {
                ExitCode = exitCode;
                Output = output;
                TimedOut = timedOut;
                Cancelled = cancelled;
            }

            public int ExitCode { get; }
            /// <summary>stdout and stderr lines, interleaved in arrival order.</summary>
            public IReadOnlyList<string> Output { get; }
            public bool TimedOut { get; }
            public bool Cancelled { get; }
        }

        public Result Run(string fileName, string arguments, string workingDirectory, TimeSpan timeout)
        {
            var output = new List<string>();
            var start = new ProcessStartInfo(fileName, arguments)
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = workingDirectory,
            };
            // Diagnostics are parsed by their English labels (Solution:, Fix:).
            start.EnvironmentVariables["DOTNET_CLI_UI_LANGUAGE"] = "en";
            using var process = new Process { StartInfo = start };
            DataReceivedEventHandler collect = (_, line) => { if (line.Data is not null) lock (output) output.Add(line.Data); };
            process.OutputDataReceived += collect;
            process.ErrorDataReceived += collect;
            process.Start();
            _process = process;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var exited = process.WaitForExit((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds));
            if (!exited) Kill(process);
            process.WaitForExit(); // drains the output readers
            _process = null;
            lock (output) return new Result(exited ? process.ExitCode : -1, output.ToArray(), timedOut: !exited && !_cancelled, cancelled: _cancelled);
        }

        public void Cancel()
        {
            _cancelled = true;
            var process = _process;
            if (process is not null) Kill(process);
        }

        private static void Kill(Process process)
        {
            try
            {
                if (!process.HasExited) process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Exiting while being killed.
            }
            Thread.Sleep(0);
        }
    }
}
