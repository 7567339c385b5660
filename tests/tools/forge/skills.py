"""The skills tasks (seeded generators with exact answers) and the shared character-level tokenizer."""

import json
import os
import random

EOS_TOKEN = "<|endoftext|>"
EOS_ID = 0
# Every character any task prompt or answer uses; one token each, after the end-of-text token.
CHARACTERS = "0123456789abcdefghijklmnopqrstuvwxyz+-=:"
VOCAB = {EOS_TOKEN: EOS_ID, **{c: i + 1 for i, c in enumerate(CHARACTERS)}}
VOCAB_SIZE = len(VOCAB)
TASKS = ["add", "sub", "rev", "sort", "count"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"
COUNT_LETTERS = "abcde"


def _number(rng, short):
    # Uniform digit count first, so one- and two-digit operands are as common as three-digit ones.
    digits = rng.randint(1, 2 if short else 3)
    return rng.randint(0 if digits == 1 else 10 ** (digits - 1), 10 ** digits - 1)


def make_item(task, rng, short=False):
    """One {task, prompt, answer} item drawn from rng (a random.Random).

    short=True draws only the easy end of each task (operands below 100, words of 3-4 letters, counts over 3-5
    letters): the base model learns every task's format and mechanics there, and each fine-tune then learns the
    rest of its own task, a small step from the base, which is what makes the fine-tunes mergeable.
    """
    # Operands are written with three digits ("007+345=") so that digits of one place line up at fixed
    # positions: small models learn carries from a few hundred steps that way.
    if task == "add":
        a, b = _number(rng, short), _number(rng, short)
        return {"task": task, "prompt": f"{a:03d}+{b:03d}=", "answer": str(a + b)}
    if task == "sub":
        a, b = _number(rng, short), _number(rng, short)
        a, b = max(a, b), min(a, b)
        return {"task": task, "prompt": f"{a:03d}-{b:03d}=", "answer": str(a - b)}
    if task == "rev":
        word = "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 4 if short else 7)))
        return {"task": task, "prompt": f"rev:{word}=", "answer": word[::-1]}
    if task == "sort":
        word = "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 4 if short else 7)))
        return {"task": task, "prompt": f"sort:{word}=", "answer": "".join(sorted(word))}
    if task == "count":
        # Counting needs state carried across the whole word: how many times the letter has been seen.
        letter = rng.choice(COUNT_LETTERS)
        word = "".join(rng.choice(COUNT_LETTERS) for _ in range(rng.randint(3, 5 if short else 9)))
        return {"task": task, "prompt": f"count:{letter}:{word}=", "answer": str(word.count(letter))}
    raise ValueError(f"unknown task {task!r}; expected one of {TASKS}")


def held_out(task, count, seed):
    """The evaluation items of a task: distinct prompts, drawn from their own seed."""
    rng = random.Random(f"{seed}:held-out:{task}")
    items, seen = [], set()
    while len(items) < count:
        item = make_item(task, rng)
        if item["prompt"] not in seen:
            seen.add(item["prompt"])
            items.append(item)
    return items


def encode(text):
    return [VOCAB[c] for c in text]


def decode(ids):
    inverse = {i: c for c, i in VOCAB.items()}
    return "".join(inverse[i] for i in ids)


def write_task_file(path, items):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for item in items:
            f.write(json.dumps(item, separators=(",", ":")) + "\n")


def write_tokenizer(folder):
    """The HF tokenizer files: a BPE model without merges (one token per character), as `tokenizers` writes it."""
    special = {"id": EOS_ID, "content": EOS_TOKEN, "single_word": False, "lstrip": False, "rstrip": False,
               "normalized": False, "special": True}
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [special],
        "normalizer": None,
        "pre_tokenizer": None,
        "post_processor": None,
        # Fuse joins the characters back without the spaces `tokenizers` would put between tokens by default.
        "decoder": {"type": "Fuse"},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": VOCAB, "merges": []},
    }
    config = {
        "add_bos_token": False,
        "add_prefix_space": False,
        "added_tokens_decoder": {str(EOS_ID): {k: v for k, v in special.items() if k != "id"}},
        "bos_token": EOS_TOKEN,
        "eos_token": EOS_TOKEN,
        "clean_up_tokenization_spaces": False,
        "model_max_length": 32,
        "tokenizer_class": "PreTrainedTokenizerFast",
    }
    _write_json(os.path.join(folder, "tokenizer.json"), tokenizer)
    _write_json(os.path.join(folder, "tokenizer_config.json"), config)
    _write_json(os.path.join(folder, "special_tokens_map.json"), {"bos_token": EOS_TOKEN, "eos_token": EOS_TOKEN})
    _write_json(os.path.join(folder, "generation_config.json"),
                {"bos_token_id": EOS_ID, "eos_token_id": EOS_ID, "pad_token_id": EOS_ID, "do_sample": False,
                 "transformers_version": "4.46.0"})


def _write_json(path, value):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")
