using System.Numerics.Tensors;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Global pooling, vectorised in the layout the input has (TensorPrimitives picks the widest vector the CPU has).
/// Channels-first: each plane is a contiguous row, reduced by one TensorPrimitives call; rows are split into a few
/// chunks, not one task per plane. Channels-last: each image is [pixels, channels], so a block of channels is summed
/// down the pixels with vector adds (the block's accumulator stays in L1) and the work is split by image and channel
/// block, so batch 1 still uses every worker. The old channels-last path ran one task per image with a hard-coded
/// Vector256 loop (software-emulated without AVX) and a scalar tail over odd channels.
/// </summary>
internal sealed unsafe class GlobalPoolKernel(int batch, int channels, int pixels, bool channelsLast, bool max, Isa isa) : IKernel
{
    /// <summary>Channels per channels-last block: 1 KiB of accumulators, several of them per image for wide layers.</summary>
    private const int ChannelBlock = 256;

    private readonly int _batch = batch, _channels = channels, _pixels = pixels;
    private readonly bool _channelsLast = channelsLast, _max = max;
    private readonly Isa _isa = isa;
    private readonly int _blocksPerImage = (channels + ChannelBlock - 1) / ChannelBlock;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        float* x = (float*)args.Inputs[0], y = (float*)args.Outputs[0];
        if (_pixels == 0)
        {
            // No pixels: the empty max is -inf and the empty mean 0/0, as the reductions define them.
            new Span<float>(y, _batch * _channels).Fill(_max ? float.NegativeInfinity : float.NaN);
            return;
        }
        if (_channelsLast)
        {
            var body = new ChannelBlocks(this, x, y);
            ParallelRange.For(args.Workers, (long)_batch * _blocksPerImage, (long)_pixels * Math.Min(ChannelBlock, _channels), ref body);
        }
        else
        {
            var body = new Planes(this, x, y);
            ParallelRange.For(args.Workers, (long)_batch * _channels, _pixels, ref body);
        }
    }

    /// <summary>Channels-first: planes [start, end), each one contiguous row of pixels to one value.</summary>
    private readonly struct Planes(GlobalPoolKernel kernel, float* x, float* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int pixels = kernel._pixels;
            for (long plane = start; plane < end; plane++)
            {
                var row = new ReadOnlySpan<float>(x + plane * pixels, pixels);
                y[plane] = kernel._max ? TensorPrimitives.Max(row) : TensorPrimitives.Sum(row) / pixels;
            }
        }
    }

    /// <summary>Channels-last: blocks [start, end) of (image, channel block); each sums its channels down the pixels.</summary>
    private readonly struct ChannelBlocks(GlobalPoolKernel kernel, float* x, float* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int channels = kernel._channels, pixels = kernel._pixels;
            for (long block = start; block < end; block++)
            {
                long image = block / kernel._blocksPerImage;
                int first = (int)(block % kernel._blocksPerImage) * ChannelBlock;
                int width = Math.Min(ChannelBlock, channels - first);
                float* source = x + image * pixels * channels + first;
                var acc = new Span<float>(y + image * channels + first, width);
                if (!kernel._max)
                {
                    // The sum's accumulators stay in registers (ChannelSumDown); max keeps the NaN-propagating library max.
                    ChannelSumDown.Run(kernel._isa, source, channels, width, pixels, y + image * channels + first);
                    TensorPrimitives.Divide(acc, pixels, acc);
                    continue;
                }
                new ReadOnlySpan<float>(source, width).CopyTo(acc);
                for (int p = 1; p < pixels; p++)
                {
                    var row = new ReadOnlySpan<float>(source + (long)p * channels, width);
                    if (kernel._max) TensorPrimitives.Max(acc, row, acc);
                    else TensorPrimitives.Add(acc, row, acc);
                }
                if (!kernel._max) TensorPrimitives.Divide(acc, pixels, acc);
            }
        }
    }
}
