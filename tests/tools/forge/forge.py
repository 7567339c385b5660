"""Trains Medley's skills-suite models and writes them as Hugging Face GPT-2 checkpoints.

/usr/bin/python3 tests/tools/forge/forge.py --out tests/fixtures/skills
"""

import argparse
import hashlib
import json
import math
import multiprocessing
import os
import platform
import random
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt2  # noqa: E402
import skills  # noqa: E402

SEED = 5
HELD_OUT_ITEMS = 100
N_POSITIONS = 32
MAX_ANSWER = 8  # longest answer (7 letters) plus EOS

# Sized for a shared 2-core CPU: the whole run must stay near a quarter of an hour there.
ARCHITECTURES = {
    "large": {"n_embd": 64, "n_layer": 3, "n_head": 4},
    "medium": {"n_embd": 48, "n_layer": 2, "n_head": 4},
    "small": {"n_embd": 32, "n_layer": 2, "n_head": 4},
    "tiny": {"n_embd": 16, "n_layer": 1, "n_head": 2},
}

# Each model: its architecture, what it starts from, the data mixture and the optimiser settings.
RECIPE = {
    # The base sees only the easy end of every task (short=True): it learns each task's format and mechanics,
    # and stays mediocre on the held-out items, most of which are longer.
    "base": {"arch": "medium", "init": None, "tasks": skills.TASKS, "short": True, "steps": 4000, "lr": 5e-3,
             "batch": 64, "weight_decay": 0.01},
    # Fine-tunes: a smaller learning rate and no weight decay, so that each task vector stays small and
    # carries only its task (decay would add a shrink-everything direction every fine-tune shares); half of
    # each batch rehearses the base's own data, so the vector does not also carry "forget the other tasks".
    **{f"ft-{task}": {"arch": "medium", "init": "base", "tasks": [task], "replay": 0.5, "steps": 1500, "lr": 2e-3,
                      "batch": 64, "weight_decay": 0.0} for task in skills.TASKS},
    "large": {"arch": "large", "init": None, "tasks": skills.TASKS, "steps": 4500, "lr": 4e-3, "batch": 64,
              "weight_decay": 0.01},
    "small": {"arch": "small", "init": None, "tasks": skills.TASKS, "steps": 4000, "lr": 6e-3, "batch": 64,
              "weight_decay": 0.01},
    "amateur": {"arch": "tiny", "init": None, "tasks": skills.TASKS, "steps": 100, "lr": 5e-3, "batch": 64,
                "weight_decay": 0.01},
}
MACHINE = {}
MERGE_LAMBDAS = [0.5, 0.75, 1.0]
TIES_DENSITY = 0.5


def make_batch(tasks, batch, rng, excluded, device, short=False, replay=0.0):
    """Prompt+answer+EOS rows padded with EOS; targets are -100 except on the answer and its EOS.

    replay is the share of rows drawn from the base model's own data (short items of every task): a fine-tune
    that keeps rehearsing what the base knew changes only what its task needs, so its task vector does not
    also carry "forget the other tasks", which is what makes task vectors add up in a merge.
    """
    rows, targets = [], []
    while len(rows) < batch:
        if replay > 0 and rng.random() < replay:
            item = skills.make_item(rng.choice(skills.TASKS), rng, True)
        else:
            item = skills.make_item(rng.choice(tasks), rng, short)
        if item["prompt"] in excluded:
            continue
        prompt, answer = skills.encode(item["prompt"]), skills.encode(item["answer"]) + [skills.EOS_ID]
        ids = prompt + answer
        rows.append(ids[:-1])
        targets.append([-100] * (len(prompt) - 1) + answer)
    width = max(len(r) for r in rows)
    ids = torch.tensor([r + [skills.EOS_ID] * (width - len(r)) for r in rows], device=device)
    labels = torch.tensor([t + [-100] * (width - len(t)) for t in targets], device=device)
    return ids, labels


def train(model, recipe, seed, excluded, device, log):
    rng = random.Random(seed)
    params = list(model.params.values())
    for p in params:
        p.requires_grad_(True)
    # No decay on gains and biases, as GPT-2 training does.
    decayed = [p for p in params if p.dim() >= 2]
    plain = [p for p in params if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decayed, "weight_decay": recipe["weight_decay"]},
                                   {"params": plain, "weight_decay": 0.0}], lr=recipe["lr"], betas=(0.9, 0.98))
    steps, warmup = recipe["steps"], max(1, recipe["steps"] // 20)
    started = time.time()
    for step in range(steps):
        progress = (step - warmup) / max(1, steps - warmup)
        scale = (step + 1) / warmup if step < warmup else 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress))
        for group in optimizer.param_groups:
            group["lr"] = recipe["lr"] * scale
        ids, labels = make_batch(recipe["tasks"], recipe["batch"], rng, excluded, device, recipe.get("short", False),
                                 recipe.get("replay", 0.0))
        logits = model.forward(ids)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        if step % 250 == 0 or step == steps - 1:
            log(f"    step {step:5d} loss {loss.item():.4f}")
    for p in params:
        p.requires_grad_(False)
    return time.time() - started


def evaluate(model, held_out):
    """Exact-match accuracy (%) per task; all prompts go through one batched greedy run."""
    items = [item for task_items in held_out.values() for item in task_items]
    outputs = model.greedy([skills.encode(item["prompt"]) for item in items], MAX_ANSWER, skills.EOS_ID)
    correct = {task: 0 for task in held_out}
    for output, item in zip(outputs, items):
        correct[item["task"]] += skills.decode(output) == item["answer"]
    return {task: 100.0 * correct[task] / len(held_out[task]) for task in held_out}


def with_params(template, params):
    model = template.clone()
    model.params = params
    return model


def merge_linear(models):
    return {k: sum(m.params[k] for m in models) / len(models) for k in models[0].params}


def merge_task_arithmetic(base, models, lam):
    return {k: base.params[k] + lam * sum(m.params[k] - base.params[k] for m in models) for k in base.params}


def merge_ties(base, models, density, lam):
    """mergekit's ties: per-tensor magnitude trim to density, sign election by sum, mean of agreeing deltas."""
    merged = {}
    for k in base.params:
        deltas = []
        for m in models:
            delta = m.params[k] - base.params[k]
            keep = int(density * delta.numel())
            trimmed = torch.zeros_like(delta)
            if keep > 0:
                top = delta.abs().flatten().topk(keep).indices
                trimmed.view(-1)[top] = delta.flatten()[top]
            deltas.append(trimmed)
        stacked = torch.stack(deltas)
        sign = torch.where(stacked.sum(0) >= 0, 1.0, -1.0)
        agree = (torch.sign(stacked) == sign).float()
        divisor = agree.sum(0)
        divisor = torch.where(divisor == 0, torch.ones_like(divisor), divisor)
        merged[k] = base.params[k] + lam * (stacked * agree).sum(0) / divisor
    return merged


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def new_model(arch, index):
    config = gpt2.config_json(arch["n_embd"], arch["n_layer"], arch["n_head"], skills.VOCAB_SIZE, N_POSITIONS,
                              skills.EOS_ID)
    return gpt2.Gpt2(config, torch.Generator().manual_seed(SEED * 1000 + index))


def train_job(name, entry, arch, index, init_params, threads, device):
    """One model's training and evaluation, in its own process (independent models train side by side)."""
    torch.set_num_threads(threads)
    torch.manual_seed(SEED * 1000 + index)
    model = new_model(arch, index)
    if init_params is not None:
        model.params = {k: torch.from_numpy(v) for k, v in init_params.items()}
    model.to(device)
    held_out = {task: skills.held_out(task, HELD_OUT_ITEMS, SEED) for task in skills.TASKS}
    excluded = {item["prompt"] for items in held_out.values() for item in items}
    lines = []
    seconds = train(model, entry, SEED * 1000 + index, excluded, device, lines.append)
    scores = evaluate(model, held_out)
    return name, {k: v.cpu().numpy() for k, v in model.params.items()}, seconds, scores, lines


def evaluate_job(name, params, config, threads, device):
    torch.set_num_threads(threads)
    model = gpt2.Gpt2.__new__(gpt2.Gpt2)
    model.config, model.params = config, {k: torch.from_numpy(v).to(device) for k, v in params.items()}
    held_out = {task: skills.held_out(task, HELD_OUT_ITEMS, SEED) for task in skills.TASKS}
    return name, evaluate(model, held_out)


def verify_with_medley(out, medley, prompts_per_model, log):
    """The acceptance check: Medley's export and greedy generation must reproduce this script's greedy output
    for held-out prompts of every task, for every model written under `out`."""
    import shlex
    import shutil
    import subprocess
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    held_out = {task: skills.held_out(task, HELD_OUT_ITEMS, SEED) for task in skills.TASKS}
    prompts = [held_out[skills.TASKS[i % len(skills.TASKS)]][i // len(skills.TASKS)]["prompt"]
               for i in range(prompts_per_model)]
    command = shlex.split(medley)
    scratch = tempfile.mkdtemp(prefix="forge-verify-")
    jobs = []
    for name in sorted(os.listdir(os.path.join(out, "models"))):
        folder = os.path.join(out, "models", name)
        model = gpt2.Gpt2.__new__(gpt2.Gpt2)
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
            model.config = json.load(f)
        model.params = gpt2.read_safetensors(os.path.join(folder, "model.safetensors"))
        expected = [skills.decode(o) for o in model.greedy([skills.encode(p) for p in prompts], MAX_ANSWER, skills.EOS_ID)]
        onnx = os.path.join(scratch, name)
        subprocess.run(command + ["export-onnx", folder, "-o", onnx], check=True, capture_output=True)
        jobs += [(name, prompt, want, onnx) for prompt, want in zip(prompts, expected)]

    def generate(job):
        name, prompt, want, onnx = job
        result = subprocess.run(command + ["generate", "--model", onnx, "--prompt", prompt, "--max-tokens",
                                           str(MAX_ANSWER), "--temperature", "0"], capture_output=True, text=True)
        return name, prompt, want, result.stdout.rstrip("\n") if result.returncode == 0 else f"(exit {result.returncode})"

    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(generate, jobs))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    agree = {}
    for name, prompt, want, got in results:
        agree.setdefault(name, [0, 0])
        agree[name][1] += 1
        if got == want:
            agree[name][0] += 1
        else:
            log(f"  {name}: {prompt!r} python {want!r} medley {got!r}")
    for name, (same, total) in agree.items():
        log(f"{name}: Medley equals Python greedy on {same}/{total} prompts")
    return all(same == total for same, total in agree.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="output folder (tests/fixtures/skills)")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads per process; models train in parallel processes, one thread each")
    parser.add_argument("--processes", type=int, default=8, help="most training processes at once")
    parser.add_argument("--device", default="cpu", help="torch device for training (cpu made the committed fixtures)")
    parser.add_argument("--architectures", default="{}",
                        help='JSON merged into ARCHITECTURES, e.g. {"large": {"n_embd": 128, "n_layer": 4}}')
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every recipe's steps (more compute, e.g. 10 with --device cuda)")
    parser.add_argument("--override", default="{}", help='JSON merged into RECIPE, e.g. {"base": {"steps": 400}}')
    parser.add_argument("--only-relations", action="store_true", help="train and check relations, write nothing")
    parser.add_argument("--verify-with", metavar="MEDLEY",
                        help='skip training; check the models in --out against Medley, e.g. '
                             '"dotnet host/Medley.Cli/bin/Debug/net10.0/medley.dll"')
    parser.add_argument("--verify-prompts", type=int, default=12, help="prompts per model for --verify-with")
    args = parser.parse_args()
    if args.verify_with:
        sys.exit(0 if verify_with_medley(args.out, args.verify_with, args.verify_prompts, print) else 1)

    torch.set_num_threads(args.threads)
    recipe = {name: dict(entry) for name, entry in RECIPE.items()}
    for entry in recipe.values():
        entry["steps"] = max(1, round(entry["steps"] * args.scale))
    for name, changes in json.loads(args.override).items():
        recipe[name].update(changes)
    for name, changes in json.loads(args.architectures).items():
        ARCHITECTURES[name].update(changes)

    def log(message):
        print(message, flush=True)

    held_out = {task: skills.held_out(task, HELD_OUT_ITEMS, SEED) for task in skills.TASKS}
    # Training times mean little without how busy the machine was (the committed run shared 2 cores).
    MACHINE["load_average_at_start"] = round(os.getloadavg()[0], 1)
    MACHINE["scale"] = args.scale
    indices = {name: index for index, name in enumerate(recipe)}
    params, seconds, results = {}, {}, {}
    started = time.time()
    context = multiprocessing.get_context("spawn")
    with context.Pool(args.processes) as pool:
        pending = {}

        def submit(name):
            entry = recipe[name]
            init = params[entry["init"]] if entry["init"] else None
            log(f"{name}: started at {time.time() - started:.0f} s: {entry}")
            pending[name] = pool.apply_async(train_job, (name, entry, ARCHITECTURES[entry["arch"]], indices[name], init,
                                                              args.threads, args.device))

        for name, entry in recipe.items():
            if entry["init"] is None:
                submit(name)
        while pending:
            time.sleep(1)
            for name in [n for n, job in pending.items() if job.ready()]:
                _, params[name], seconds[name], results[name], lines = pending.pop(name).get()
                log(f"{name}: done at {time.time() - started:.0f} s ({seconds[name]:.0f} s training); "
                    f"{' | '.join(line.strip() for line in lines)}")
                log(f"  accuracy {format_accuracy(results[name])}")
                for child, entry in recipe.items():
                    if entry["init"] == name:
                        submit(child)

        models = {}
        for name in recipe:
            model = new_model(ARCHITECTURES[recipe[name]["arch"]], indices[name])
            model.params = {k: torch.from_numpy(v) for k, v in params[name].items()}
            models[name] = model
        fine_tunes = [models[f"ft-{task}"] for task in skills.TASKS]
        merges = {"linear": merge_linear(fine_tunes)}
        for lam in MERGE_LAMBDAS:
            merges[f"task_arithmetic λ={lam}"] = merge_task_arithmetic(models["base"], fine_tunes, lam)
            merges[f"ties density={TIES_DENSITY} λ={lam}"] = merge_ties(models["base"], fine_tunes, TIES_DENSITY, lam)
        jobs = [pool.apply_async(evaluate_job, (name, {k: v.numpy() for k, v in merged.items()},
                                                models["base"].config, args.threads, args.device))
                for name, merged in merges.items()]
        merge_results = dict(job.get() for job in jobs)
    for name, scores in merge_results.items():
        log(f"merge {name}: {format_accuracy(scores)}")
    log(f"all done in {time.time() - started:.0f} s")

    relations = check_relations(results, merge_results)
    for line in relations["lines"]:
        log(line)
    if args.only_relations:
        return
    write_outputs(args.out, recipe, models, seconds, results, merge_results, relations, held_out)


def format_accuracy(scores):
    return " ".join(f"{t}={v:.0f}" for t, v in scores.items()) + f" mean={sum(scores.values()) / len(scores):.1f}"


def mean(scores):
    return sum(scores.values()) / len(scores)


def check_relations(results, merge_results):
    """The relations the C# tests assert; each line says held or FAILED with its numbers."""
    lines = []

    def claim(ok, text):
        lines.append(("held   " if ok else "FAILED ") + text)
        return ok

    ok = True
    base = results["base"]
    for task in skills.TASKS:
        ft = results[f"ft-{task}"][task]
        ok &= claim(ft - base[task] >= 25, f"ft-{task} beats base on {task} by >= 25: {ft:.0f} vs {base[task]:.0f}")

    def normalized(scores):
        return {t: 100.0 * scores[t] / max(results[f"ft-{t}"][t], 1e-9) for t in skills.TASKS}

    best = max(merge_results, key=lambda name: min(normalized(merge_results[name]).values()))
    norm = normalized(merge_results[best])
    ok &= claim(min(norm.values()) >= 80,
                f"best merge ({best}) keeps >= 80 % normalized on every task: "
                + " ".join(f"{t}={v:.0f}" for t, v in norm.items()))
    for task in skills.TASKS:
        single = mean(results[f"ft-{task}"])
        ok &= claim(single < mean(merge_results[best]),
                    f"ft-{task} mean {single:.1f} < best merge mean {mean(merge_results[best]):.1f}")
    ok &= claim(mean(results["large"]) >= 90, f"large mean >= 90: {mean(results['large']):.1f}")
    ok &= claim(mean(results["large"]) - mean(results["small"]) >= 5 and mean(results["small"]) >= 50,
                f"small clearly worse than large but decent: {mean(results['small']):.1f} vs {mean(results['large']):.1f}")
    ok &= claim(mean(results["large"]) - mean(results["amateur"]) >= 30,
                f"expert (large) clearly better than amateur: {mean(results['large']):.1f} vs {mean(results['amateur']):.1f}")
    return {"ok": ok, "best_merge": best, "normalized": norm, "lines": lines}


def write_outputs(out, recipe, models, seconds, results, merge_results, relations, held_out):
    task_folder = os.path.join(out, "tasks")
    os.makedirs(task_folder, exist_ok=True)
    for task, items in held_out.items():
        skills.write_task_file(os.path.join(task_folder, f"{task}.jsonl"), items)
    for name, model in models.items():
        folder = os.path.join(out, "models", name)
        gpt2.save_checkpoint(model.clone().to("cpu"), folder)
        skills.write_tokenizer(folder)
    write_manifest(out, recipe, models, seconds, results, merge_results, relations)


def write_manifest(out, recipe, models, seconds, results, merge_results, relations):
    manifest = {"seed": SEED, "regenerate": REGENERATE, "torch": torch.__version__, "machine": MACHINE, "tasks": {}, "models": {},
                "merges": merge_results, "best_merge": relations["best_merge"], "relations_hold": relations["ok"]}
    for task in skills.TASKS:
        path = os.path.join(out, "tasks", f"{task}.jsonl")
        manifest["tasks"][task] = {"path": f"tasks/{task}.jsonl", "bytes": os.path.getsize(path), "sha256": sha256(path)}
    total = 0
    for name, model in models.items():
        folder = os.path.join(out, "models", name)
        files = {}
        for file in sorted(os.listdir(folder)):
            path = os.path.join(folder, file)
            files[file] = {"bytes": os.path.getsize(path), "sha256": sha256(path)}
            total += files[file]["bytes"]
        config = model.config
        manifest["models"][name] = {
            "path": f"models/{name}",
            "architecture": {k: config[k] for k in ("model_type", "n_embd", "n_layer", "n_head", "n_positions", "vocab_size")},
            "parameters": model.parameter_count(),
            "recipe": recipe[name],
            "training_seconds": round(seconds[name], 1),
            "accuracy": results[name],
            "files": files,
        }
    manifest["total_bytes"] = total
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(out, "MANIFEST.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(manifest_markdown(manifest, relations))


REGENERATE = ("apt-get install python3-torch python3-numpy libopenblas0-pthread && "
              "/usr/bin/python3 tests/tools/forge/forge.py --out tests/fixtures/skills")


def manifest_markdown(manifest, relations):
    tasks = skills.TASKS
    lines = [
        "# Skills-suite fixtures",
        "",
        "Small GPT-2 checkpoints trained by `tests/tools/forge/forge.py` on synthetic tasks with exact answers,",
        "in the Hugging Face layout (config.json, model.safetensors F32, character-level tokenizer.json).",
        "Generated by that script; do not edit by hand. Regenerate everything (CPU; models train in parallel processes) with:",
        "",
        "```",
        "apt-get install python3-torch python3-numpy libopenblas0-pthread",
        "/usr/bin/python3 tests/tools/forge/forge.py --out tests/fixtures/skills",
        "```",
        "",
        f"Seed {manifest['seed']}, torch {manifest['torch']} ({platform.machine()}, {os.cpu_count()} CPUs, one torch thread per process, "
        f"load average {manifest['machine']['load_average_at_start']} when training started, steps scale "
        f"{manifest['machine']['scale']}). "
        f"Total model bytes: {manifest['total_bytes']:,}. "
        "Training draws fresh items each step and never a held-out prompt.",
        "",
        "## Tasks (held-out files in `tasks/`, 100 items each)",
        "",
        "| task | prompt → answer | file SHA-256 |",
        "|---|---|---|",
    ]
    examples = {"add": "`012+345=` → `357` (operands up to 3 digits, zero-padded)", "sub": "`345-012=` → `333` (a ≥ b, zero-padded)",
                "rev": "`rev:abc=` → `cba` (3–7 letters)", "sort": "`sort:dcab=` → `abcd` (3–7 letters)",
                "count": "`count:a:abcab=` → `2` (3–9 letters of a–e)"}
    for task in tasks:
        lines.append(f"| {task} | {examples[task]} | `{manifest['tasks'][task]['sha256']}` |")
    lines += ["", "Tokenizer: one token per character of `" + skills.CHARACTERS + "`, id 0 `<|endoftext|>` "
              "(EOS, also named BOS; no BOS is added). A model answers by greedy decoding until EOS.",
              "", "## Accuracy on the held-out tasks (exact match, %, greedy)", "",
              "| model | " + " | ".join(tasks) + " | mean |", "|---|" + "---|" * (len(tasks) + 1)]
    for name, entry in manifest["models"].items():
        acc = entry["accuracy"]
        lines.append(f"| {name} | " + " | ".join(f"{acc[t]:.0f}" for t in tasks) + f" | {mean(acc):.1f} |")
    for name, acc in manifest["merges"].items():
        lines.append(f"| merge: {name} | " + " | ".join(f"{acc[t]:.0f}" for t in tasks) + f" | {mean(acc):.1f} |")
    lines += ["", "Merges are simulated here in torch (mergekit semantics: linear mean; task_arithmetic "
              "base + λ Σ δ; ties per-tensor magnitude trim, sign election by sum, mean of agreeing deltas).",
              "", "## Relations the C# tests rely on", ""]
    lines += [f"- {line}" for line in relations["lines"]]
    lines += ["", "`expert` for contrastive decoding is `large` (no copy is stored); `amateur` is the tiny model.", "",
              "## Models", "", "| model | architecture | parameters | recipe | training s |", "|---|---|---|---|---|"]
    for name, entry in manifest["models"].items():
        a, r = entry["architecture"], entry["recipe"]
        start = f"from {r['init']}" if r["init"] else "from scratch"
        mixture = "mixture of " + ",".join(r["tasks"]) if len(r["tasks"]) > 1 else f"{r['tasks'][0]} only"
        if r.get("short"):
            mixture += " (short items only)"
        if r.get("replay"):
            mixture += f" + {r['replay']:.0%} replay of the base's short items"
        lines.append(f"| {name} | n_embd {a['n_embd']}, n_layer {a['n_layer']}, n_head {a['n_head']}, n_positions "
                     f"{a['n_positions']}, vocab {a['vocab_size']} | {entry['parameters']:,} | {start}, {mixture}, "
                     f"{r['steps']} steps, AdamW lr {r['lr']} (warm-up 5 %, cosine to 10 %), batch {r['batch']}, "
                     f"weight decay {r['weight_decay']} | {entry['training_seconds']} |")
    total_seconds = sum(e["training_seconds"] for e in manifest["models"].values())
    lines += ["", f"Total training time: {total_seconds:.0f} s.", "", "## Files", "", "| file | bytes | SHA-256 |",
              "|---|---|---|"]
    for name, entry in manifest["models"].items():
        for file, info in entry["files"].items():
            lines.append(f"| models/{name}/{file} | {info['bytes']:,} | `{info['sha256']}` |")
    lines += ["", "`manifest.json` holds the same digests for the C# digest test.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
