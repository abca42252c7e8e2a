#!/usr/bin/env python3
"""The table tests/bench/gpu/run.sh prints last, from the JSON files it wrote.

    summary.py OUT_DIR > summary.md

Each measurement is a pair NAME.ponder.json / NAME.llama.json (NAME is
SHAPE.p512, SHAPE.sampler or SHAPE.ctxN); a side that failed or was skipped
shows as a dash with the reason below the table.
"""
import json
import pathlib
import re
import sys


def load(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def median(report, part):
    try:
        return report[part]["tokens_per_second"]["median"]
    except (KeyError, TypeError):
        return None


def fmt(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def ratio(ours, theirs):
    return "-" if not ours or not theirs else f"{ours / theirs:.2f}x"


def main():
    out = pathlib.Path(sys.argv[1])
    pattern = re.compile(r"^(.*)\.(ponder|llama)\.(json|skipped|err)$")
    found = {m.group(1) for m in map(pattern.match, (p.name for p in out.iterdir())) if m}
    # NAME is SHAPE.KIND; shapes hold dots themselves (qwen-1.5b).
    names = sorted((n for n in found if ".sweep-" not in n), key=lambda n: tuple(n.rsplit(".", 1)))
    sweeps = sorted(n for n in found if ".sweep-" in n)
    print("# Ponder and llama.cpp (Vulkan) on one GPU\n")
    machine = out / "machine.txt"
    if machine.exists():
        print("```\n" + machine.read_text().strip() + "\n```\n")
    correctness = out / "correctness.txt"
    if correctness.exists():
        print("Correctness on this device (logits against the CPU reference engine):\n")
        print("```\n" + correctness.read_text().strip() + "\n```\n")
    device = None
    for name in names:
        report = load(out / f"{name}.ponder.json")
        if report:
            device = report["device"]
            break
    if device:
        print(f"Ponder's device: {device['name']} ({device['type']}), driver {device['driver']} "
              f"{device['driver_info']}, Vulkan {device['api_version']}, subgroup {device['subgroup_size']}\n")

    print("| run | prompt | prefill tok/s Ponder | llama.cpp | ratio | decode tok/s Ponder | llama.cpp | ratio "
          "| Ponder decode weight reads, of the read bandwidth | step GPU / wall ms | dispatches / barriers per token | sampling ms/token |")
    print("|" + " --- |" * 12)
    notes = []
    for name in names:
        ponder = load(out / f"{name}.ponder.json")
        llama = load(out / f"{name}.llama.json")
        for side, report in (("ponder", ponder), ("llama", llama)):
            if report is None:
                skipped = out / f"{name}.{side}.skipped"
                err = out / f"{name}.{side}.err"
                why = skipped.read_text().strip() if skipped.exists() else (
                    err.read_text().strip().splitlines()[-1] if err.exists() and err.read_text().strip() else "no result")
                notes.append(f"- {name} {side}: {why}")
        prompt = (ponder or {}).get("settings", {}).get("prompt_tokens") or \
            (llama or {}).get("settings", {}).get("prompt_tokens")
        bandwidth = step = counts = sampling = "-"
        if ponder:
            if "decode_bandwidth_fraction" in ponder:
                # Reports before the read measure held decode to the copy.
                reference = ponder.get("decode_bandwidth_reference", "copy")
                ceiling = (ponder["bandwidth"]["read"]["gb_per_second"] if reference == "read"
                           else ponder["bandwidth"]["gb_per_second"])
                bandwidth = (f"{ponder['decode_weight_gb_per_second']:.0f} GB/s = "
                             f"{100 * ponder['decode_bandwidth_fraction']:.0f}% of {ceiling:.0f}"
                             + ("" if reference == "read" else " (copy)"))
            d = ponder["profile"]["decode_step"]
            step = f"{d['gpu_ms']:.3f} / {d['wall_ms']:.3f}"
            counts = f"{d.get('dispatches', '-')} / {d.get('barrier_phases', '-')}"
            s = ponder.get("decode", {}).get("sampling_ms_per_token")
            sampling = f"{s['median']:.3f} ({ponder['settings'].get('sampler', '?')})" if s else "-"
        pp, lp = median(ponder, "prefill"), median(llama, "prefill")
        pd, ld = median(ponder, "decode"), median(llama, "decode")
        print(f"| {name} | {prompt or '-'} | {fmt(pp)} | {fmt(lp)} | {ratio(pp, lp)} | {fmt(pd)} | {fmt(ld)} | "
              f"{ratio(pd, ld)} | {bandwidth} | {step} | {counts} | {sampling} |")
    if notes:
        print("\nMissing:\n" + "\n".join(notes))

    # Where Ponder's time goes: the top kernels of each model's first run.
    shown = set()
    for name in names:
        shape = name.rsplit(".", 1)[0]
        ponder = load(out / f"{name}.ponder.json")
        if not ponder or shape in shown or not name.endswith(".p" + str(ponder["settings"]["prompt_tokens"])):
            continue
        shown.add(shape)
        for part in ("decode_step", "prefill_batch"):
            profile = ponder["profile"][part]
            print(f"\n{shape} {part} ({profile['tokens']} tokens at position {profile['first_position']}): "
                  f"GPU {profile['gpu_ms']:.3f} ms, wall {profile['wall_ms']:.3f} ms")
            print("\n| kernel | dispatches | ms | share | weight GB/s |\n| --- | --- | --- | --- | --- |")
            for k in profile["kernels"][:8]:
                print(f"| {k['name']} | {k['dispatches']} | {k['ms']:.3f} | {100 * k['share']:.1f}% | "
                      f"{fmt(k.get('weight_gb_per_second'), 0)} |")
    if sweeps:
        print("\nDecode tok/s by matvec shape (PONDER_MATVEC_ROWS x PONDER_MATVEC_WG), Ponder, greedy:\n")
        table = {}
        for name in sweeps:
            shape, kind = name.rsplit(".", 1)
            rows, wg = kind[len("sweep-r"):].split("-w")
            table.setdefault(shape, {})[(int(rows), int(wg))] = median(load(out / f"{name}.ponder.json"), "decode")
        for shape, cells in table.items():
            wgs = sorted({w for _, w in cells})
            print(f"| {shape}: rows \\ invocations | " + " | ".join(map(str, wgs)) + " |")
            print("|" + " --- |" * (len(wgs) + 1))
            for rows in sorted({r for r, _ in cells}):
                print(f"| {rows} | " + " | ".join(fmt(cells.get((rows, w))) for w in wgs) + " |")
            print()
    for name in names:
        ponder = load(out / f"{name}.ponder.json")
        if ponder and ".ctx" in name:
            d = ponder["profile"]["decode_step"]
            attention = sum(k["ms"] for k in d["kernels"] if k["name"].startswith("attention"))
            print(f"\n{name}: decode step at position {d['first_position']}: GPU {d['gpu_ms']:.3f} ms, "
                  f"attention {attention:.3f} ms")


if __name__ == "__main__":
    main()
