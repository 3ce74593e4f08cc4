namespace Atc.Build.Tests.Infrastructure;

/// <summary>
/// The runtime API the generated code is written against (InferenceModel.LoadEmbedded, CreateSession, SetInput,
/// Run, GetOutput, GetOutputShape; SessionOptions and the model-level Run on InputBinding/OutputBinding), as source for test compilations. Two shapes of it prove the generated code does
/// not depend on details the runtime may choose (GetOutputShape's return type, IDisposable).
/// The fake session computes, per batch row, the sum of the input row into every output value of that row, so tests
/// can run the generated code and check padding and trimming.
/// </summary>
public static class RuntimeStubs
{
    public const string SpanShapes = """
        namespace Atc.Runtime
        {
            public sealed class InferenceModel : System.IDisposable
            {
                public static InferenceModel LoadEmbedded(System.Reflection.Assembly assembly, string resourceName) => new InferenceModel();
                public object Signature => new object();
                public InferenceSession CreateSession() => new InferenceSession();
                public InferenceSession CreateSession(SessionOptions? options) => new InferenceSession();
                public void Run(System.Collections.Generic.IReadOnlyList<InputBinding> inputs, System.Collections.Generic.IReadOnlyList<OutputBinding?> outputs,
                    System.Threading.CancellationToken cancellationToken = default) { }
                public void Dispose() { }
            }

            public sealed class SessionOptions
            {
                public int ThreadCount { get; set; }
            }

            public abstract class InputBinding
            {
                public static InputBinding From<T>(T[] data, params int[] shape) where T : unmanaged => new Bound();
                private sealed class Bound : InputBinding { }
            }

            public abstract class OutputBinding
            {
                public static OutputBinding Into<T>(T[] destination) where T : unmanaged => new Bound();
                private sealed class Bound : OutputBinding { }
            }

            public sealed class InferenceSession : System.IDisposable
            {
                private float[] _input = System.Array.Empty<float>();
                private int[] _shape = System.Array.Empty<int>();
                private float[] _output = System.Array.Empty<float>();
                public static int[] LastInputShape = System.Array.Empty<int>();
                public static int OutputWidth = 2;

                public void SetInput<T>(int index, System.ReadOnlySpan<T> data, System.ReadOnlySpan<int> shape) where T : unmanaged
                {
                    _input = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(data).ToArray();
                    _shape = shape.ToArray();
                    LastInputShape = _shape;
                }

                public void Run()
                {
                    var rows = _shape[0];
                    var width = _input.Length / rows;
                    _output = new float[rows * OutputWidth];
                    for (var row = 0; row < rows; row++)
                    {
                        var sum = 0f;
                        for (var i = 0; i < width; i++) sum += _input[row * width + i];
                        for (var j = 0; j < OutputWidth; j++) _output[row * OutputWidth + j] = sum + j;
                    }
                }

                public System.ReadOnlySpan<T> GetOutput<T>(int index) where T : unmanaged =>
                    System.Runtime.InteropServices.MemoryMarshal.Cast<float, T>(_output);

                public System.ReadOnlySpan<int> GetOutputShape(int index) => new int[] { _shape[0], OutputWidth };
                public void Dispose() { }
            }
        }
        """;

    public const string ArrayShapesNotDisposable = """
        namespace Atc.Runtime
        {
            public sealed class InferenceModel
            {
                public static InferenceModel LoadEmbedded(System.Reflection.Assembly assembly, string resourceName) => new InferenceModel();
                public InferenceSession CreateSession(SessionOptions? options = null) => new InferenceSession();
                public void Run(System.Collections.Generic.IReadOnlyList<InputBinding> inputs, System.Collections.Generic.IReadOnlyList<OutputBinding?> outputs,
                    System.Threading.CancellationToken cancellationToken = default) { }
            }

            public sealed class SessionOptions
            {
                public int ThreadCount { get; set; }
            }

            public abstract class InputBinding
            {
                public static InputBinding From<T>(T[] data, params int[] shape) where T : unmanaged => new Bound();
                private sealed class Bound : InputBinding { }
            }

            public abstract class OutputBinding
            {
                public static OutputBinding Into<T>(T[] destination) where T : unmanaged => new Bound();
                private sealed class Bound : OutputBinding { }
            }

            public sealed class InferenceSession
            {
                public void SetInput<T>(int index, System.ReadOnlySpan<T> data, System.ReadOnlySpan<int> shape) where T : unmanaged { }
                public void Run() { }
                public System.ReadOnlySpan<T> GetOutput<T>(int index) where T : unmanaged => default;
                public int[] GetOutputShape(int index) => new int[0];
            }
        }
        """;
}
