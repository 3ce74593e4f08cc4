namespace Atc.Options
{
    /// <summary>
    /// How the model's input shapes vary, from ATC's shape options: the one gear kind of the compiler, the manifest,
    /// the analyzers and the generator. The runtime's public <c>ModelGearKind</c> and the .om's proto enum are mapped
    /// to it explicitly (Atc.Compiler GearKinds, Atc.Runtime OmGearKinds).
    /// </summary>
    public enum GearKind
    {
        /// <summary>Every input shape is fixed: one gear.</summary>
        Static,
        /// <summary>--dynamic_batch_size: gears over the batch axis N.</summary>
        Batch,
        /// <summary>--dynamic_image_size: gears over H and W.</summary>
        ImageSize,
        /// <summary>--dynamic_dims: gears over every -1 axis, in order across inputs.</summary>
        Dims,
        /// <summary>--input_shape with a~b ranges, or --input_shape_range: any shape inside the bounds.</summary>
        Range,
    }
}
