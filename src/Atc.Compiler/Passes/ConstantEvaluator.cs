using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Passes;

/// <summary>Runs one operator's kernel on constant inputs at compile time, exactly as the runtime would run it.</summary>
internal static class ConstantEvaluator
{
    /// <summary>Creates the kernel for <paramref name="context"/> (whose inputs are all constant) and runs it on the
    /// calling thread; returns one tensor per entry of <paramref name="outputs"/>.</summary>
    public static unsafe TensorData[] Run(IOperator op, OpContext context, TensorType[] outputs)
    {
        var kernel = op.CreateKernel(context, outputs);

        var pins = new MemoryHandle[context.InputCount];
        var inputPointers = new nint[context.InputCount];
        var outputBuffers = new byte[outputs.Length][];
        var outputPointers = new nint[outputs.Length];
        try
        {
            for (int i = 0; i < context.InputCount; i++)
            {
                if (context.Constant(i) is not { } data) continue;
                pins[i] = data.Bytes.Pin();
                inputPointers[i] = (nint)pins[i].Pointer;
            }
            // Buffers on the pinned object heap keep their address while the kernel writes through raw pointers.
            for (int i = 0; i < outputs.Length; i++)
            {
                outputBuffers[i] = GC.AllocateArray<byte>(checked((int)outputs[i].ByteCount), pinned: true);
                outputPointers[i] = AddressOf(outputBuffers[i]);
            }
            byte[] scratch = GC.AllocateArray<byte>(checked((int)kernel.ScratchBytes), pinned: true);

            kernel.Run(new KernelArgs(inputPointers, outputPointers, AddressOf(scratch), InlineWorkerPool.Instance));
            GC.KeepAlive(scratch);
        }
        finally
        {
            foreach (var pin in pins) pin.Dispose();
        }

        var results = new TensorData[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
            results[i] = new TensorData(outputs[i].Type, outputs[i].Dims, outputBuffers[i]);
        return results;
    }

    private static unsafe nint AddressOf(byte[] pinnedArray)
        => pinnedArray.Length == 0 ? 0 : (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinnedArray));
}
