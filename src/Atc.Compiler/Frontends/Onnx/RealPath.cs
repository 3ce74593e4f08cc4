namespace Atc.Compiler.Frontends.Onnx;

/// <summary>
/// The real path of a file or folder: every symbolic link on the way resolved, component by component, with ".."
/// applied to the resolved parent (as the kernel does: "sub/.." where sub links to /etc is "/"). Works for paths
/// that do not exist (the rest is appended as written). Iterative, with a bound on link hops, so a link loop or a
/// deep chain from an untrusted model cannot hang or overflow the stack.
/// </summary>
internal static class RealPath
{
    /// <summary>Links followed per path before giving up (Linux's own limit for a path lookup).</summary>
    public const int MaxLinkHops = 40;

    /// <summary>Thrown when resolving takes more than <see cref="MaxLinkHops"/> links (a loop).</summary>
    public sealed class LinkLoopException(string path) : Exception($"more than {MaxLinkHops} symbolic links in '{path}'");

    public static string Resolve(string path)
    {
        // Not Path.GetFullPath: it applies ".." to the text ("link/.." → ""), before the link is resolved.
        string full = Path.IsPathFullyQualified(path) ? path : Path.Join(Directory.GetCurrentDirectory(), path);
        string root = Path.GetPathRoot(full) ?? Path.DirectorySeparatorChar.ToString();
        var pending = new LinkedList<string>(Components(full[root.Length..]));
        string current = root;
        int hops = 0;
        while (pending.First is { } first)
        {
            string part = first.Value;
            pending.RemoveFirst();
            if (part is "" or ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current; // ".." of the root is the root
                continue;
            }
            string next = Path.Join(current, part);
            string? target = LinkTargetOf(next);
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++hops > MaxLinkHops) throw new LinkLoopException(path);
            // The target replaces this component: relative to the folder holding the link, or absolute.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? root;
                target = target[current.Length..];
            }
            var parts = Components(target);
            for (int i = parts.Length - 1; i >= 0; i--) pending.AddFirst(parts[i]);
        }
        return current;
    }

    private static string[] Components(string relative)
        => relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.None);

    // The link's own target text (not followed further), or null when the entry is not a link or does not exist.
    private static string? LinkTargetOf(string path)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        return info.Exists || info.LinkTarget is not null ? info.LinkTarget : null;
    }
}
