using System.Xml.Linq;

namespace CoSim.Fmi.Description;

/// <summary>Walking child elements the way both readers need it.</summary>
internal static class XmlElements
{
    /// <summary>
    /// The child elements that a reader should interpret: annotation containers are skipped silently
    /// (the standard reserves them for vendors), elements in a namespace are reported as unknown.
    /// </summary>
    public static IEnumerable<XElement> Children(XElement parent, DiagnosticBag diagnostics)
    {
        foreach (var child in parent.Elements())
        {
            if (child.Name.Namespace != XNamespace.None)
            {
                Unknown(child, diagnostics);
                continue;
            }
            if (child.Name.LocalName is "VendorAnnotations" or "Annotations") continue;
            yield return child;
        }
    }

    /// <summary>A warning, never an error: tools add elements of their own, and that must not stop a run.</summary>
    public static void Unknown(XElement element, DiagnosticBag diagnostics)
    {
        var parent = element.Parent is { } p ? " in <" + ValueText.ShortName(p.Name.LocalName) + ">" : "";
        diagnostics.Warning(XmlInput.LineOf(element), $"unknown element <{ValueText.ShortName(element.Name.LocalName)}>{parent} is ignored");
    }
}
