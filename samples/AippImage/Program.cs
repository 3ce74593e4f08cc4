using AippImage;
using StbImageSharp;

// Decode the picture to interleaved R,G,B bytes: exactly what AIPP's RGB888_U8 input takes. No resizing,
// cropping, float conversion or normalisation here: the model does that (aipp.cfg).
var path = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "Data", "scene.png");
var image = ImageResult.FromMemory(File.ReadAllBytes(path), ColorComponents.RedGreenBlue);
Console.WriteLine($"{Path.GetFileName(path)}: {image.Width} x {image.Height} RGB, {image.Data.Length} bytes");
if (image.Width != ImageClasses.SourceWidth || image.Height != ImageClasses.SourceHeight)
{
    Console.Error.WriteLine($"The model's AIPP step takes {ImageClasses.SourceWidth} x {ImageClasses.SourceHeight} RGB pictures " +
        $"(aipp.cfg: src_image_size_w/h); resize the picture or change aipp.cfg.");
    return 1;
}

using var model = TinyCnnModel.Load();
var scores = model.Run(new TinyCnnModel.Input(image.Data)).OutputTensor.ToArray();

Console.WriteLine("Top 5 classes:");
foreach (var (rank, (label, probability)) in ImageClasses.Top(scores, 5).Select((c, i) => (i + 1, c)))
    Console.WriteLine($"  {rank}. {label,-12} {100 * probability,6:0.00}%");
return 0;
