#!/usr/bin/env python3
"""Derives the quirk corpus from the project's own FMUs (called by scripts/build-fmus).

Each quirk is one habit of real exporters (see docs/compatibility.md for the sources and for what
CoSim does with it). An archive is made by copying an example FMU and either rewriting its
modelDescription.xml, or swapping in a binary built for the purpose (fmus/quirks/binaries.cmake,
fmus/QuirkWarning, fmus/QuirkLogCategory). Output: <out>/quirks/fmi<V>/<Quirk>.fmu.

    make_quirks.py <build/fmus> <build/fmus-cmake>

Every edit must find its target: when the generator (fmus/glue/describe.c) changes, the build
fails here instead of silently producing an archive without the quirk. Standard library only.
"""
import os
import re
import sys
import zipfile

PLATFORM = {2: "linux64", 3: "x86_64-linux"}


def replace_once(xml, old, new, what):
    if xml.count(old) < 1:
        raise SystemExit(f"make_quirks: {what}: {old!r} not found in the model description")
    return xml.replace(old, new, 1)


def variable_type_element(xml, version, name, add, what):
    """Adds attribute text to the type element of variable `name` (FMI 2 <Real .../>, FMI 3 <Float64 name=...)."""
    if version == 2:
        pattern = re.compile(r'(<ScalarVariable name="' + re.escape(name) + r'"[^>]*>\s*<Real)')
    else:
        pattern = re.compile(r'(<Float64 name="' + re.escape(name) + r'")')
    xml, n = pattern.subn(lambda m: m.group(1) + " " + add, xml, count=1)
    if n != 1:
        raise SystemExit(f"make_quirks: {what}: variable {name!r} not found")
    return xml


def outputs_missing(xml, v):
    # MsdMass2's x2 (a state: no direct feedthrough) left out of the output list, as OpenModelica
    # does for some outputs; CoSim must then assume x2 depends on the inputs x1 and v1.
    if v == 2:
        return replace_once(xml, '      <Unknown index="5" dependencies="5"/>\n', "", "OutputsMissing")
    return replace_once(xml, '    <Output valueReference="4" dependencies="4"/>\n', "", "OutputsMissing")


def no_initial_unknowns(xml, v):
    if v == 2:
        xml, n = re.subn(r"    <InitialUnknowns>.*?</InitialUnknowns>\n", "", xml, flags=re.S)
    else:
        xml, n = re.subn(r'    <InitialUnknown valueReference="\d+"/>\n', "", xml)
    if n == 0:
        raise SystemExit("make_quirks: NoInitialUnknowns: no initial unknowns to remove")
    return xml


def date_not_iso(xml, v):
    # A local date with a space instead of the 'T' of xs:dateTime and no zone.
    return replace_once(xml, 'generationTool="', 'generationDateAndTime="17.05.2024 08:30:00"\n  generationTool="', "DateNotIso")


def der_der_names(xml, v):
    # Second derivatives named the Modelica way; the structured convention has only der(name[,order]).
    return replace_once(xml, 'name="der(v)"', 'name="der(der(h))"', "DerDerNames")


def undefined_unit(xml, v):
    return variable_type_element(xml, v, "valve", 'unit="percent_open"', "UndefinedUnit")


def undefined_declared_type(xml, v):
    return variable_type_element(xml, v, "level", 'declaredType="Modelica.SIunits.Height"', "UndefinedDeclaredType")


def start_on_calculated(xml, v):
    # outflow has initial="calculated": the standard forbids a start value there.
    return variable_type_element(xml, v, "outflow", 'start="42"', "StartOnCalculated")


def fixed_step_size(xml, v):
    cs = xml.index("<CoSimulation ")
    head, tail = xml[:cs], xml[cs:]
    return head + replace_once(tail, 'canHandleVariableCommunicationStepSize="true"',
                               'canHandleVariableCommunicationStepSize="false"', "FixedStepSize")


def event_indicators_missing(xml, v):
    # The binary has one event indicator (h); the model description declares none.
    if v == 2:
        return replace_once(xml, 'numberOfEventIndicators="1"', 'numberOfEventIndicators="0"', "EventIndicatorsMissing")
    return replace_once(xml, '    <EventIndicator valueReference="1"/>\n', "", "EventIndicatorsMissing")


def unchanged(xml, v):
    return xml


# name -> (source model, model-description rewrite, binary override folder or None)
QUIRKS = {
    "OutputsMissing": ("MsdMass2", outputs_missing, None),
    "NoInitialUnknowns": ("Tank", no_initial_unknowns, None),
    "DateNotIso": ("Tank", date_not_iso, None),
    "DerDerNames": ("BouncingBall", der_der_names, None),
    "UndefinedUnit": ("Tank", undefined_unit, None),
    "UndefinedDeclaredType": ("Tank", undefined_declared_type, None),
    "StartOnCalculated": ("Tank", start_on_calculated, None),
    "FixedStepSize": ("Tank", fixed_step_size, None),
    "WarningEveryStep": ("QuirkWarning", unchanged, None),
    "NullLogCategory": ("QuirkLogCategory", unchanged, None),
    "EventIndicatorsMissing": ("BouncingBall", event_indicators_missing, None),
    "MissingLibrary": ("NoState", unchanged, "quirks/fmi{v}/MissingLibrary"),
}


def build(out_dir, cmake_dir, name, v):
    model, rewrite, binaries = QUIRKS[name]
    source = os.path.join(out_dir, f"fmi{v}", model + ".fmu")
    target = os.path.join(out_dir, "quirks", f"fmi{v}", name + ".fmu")
    override = os.path.join(cmake_dir, binaries.format(v=v)) if binaries else None
    inputs = [source, __file__]
    if override:
        inputs.append(os.path.join(override, "binaries", PLATFORM[v], model + ".so"))
    if os.path.exists(target) and os.path.getmtime(target) >= max(os.path.getmtime(p) for p in inputs):
        return False
    os.makedirs(os.path.dirname(target), exist_ok=True)
    temporary = target + ".tmp"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as dst:
        for entry in src.infolist():
            data = src.read(entry)
            if entry.filename == "modelDescription.xml":
                data = rewrite(data.decode("utf-8"), v).encode("utf-8")
            elif override and entry.filename.startswith("binaries/") and not entry.is_dir():
                with open(os.path.join(override, entry.filename), "rb") as f:
                    data = f.read()
            dst.writestr(entry, data)
    os.replace(temporary, target)
    return True


def main():
    if len(sys.argv) != 3:
        print("usage: make_quirks.py <build/fmus> <build/fmus-cmake>", file=sys.stderr)
        return 2
    out_dir, cmake_dir = sys.argv[1], sys.argv[2]
    made = sum(build(out_dir, cmake_dir, name, v) for name in QUIRKS for v in (2, 3))
    if made:
        print(f"make_quirks: {made} quirk archive(s) written to {os.path.join(out_dir, 'quirks')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
