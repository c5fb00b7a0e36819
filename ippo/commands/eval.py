"""`ippo eval occupations|fairness|metrics`: evaluations that print figures."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from ippo.steps import cli_settings

app = typer.Typer(help="Evaluations (occupation mapping on resumes, fairness of sensitive needs).",
                  no_args_is_help=True)
SHARED_ENV = "IPPO_SHARED_DATA"
SharedOption = Annotated[Path | None, typer.Option(
    "--shared", envvar=SHARED_ENV, help=f"The folder of real public data it reads (default: ${SHARED_ENV}).")]


def _shared_folder(shared: Path | None, command: str, needs: str) -> Path:
    """The data folder given by --shared or $IPPO_SHARED_DATA; a clear error when neither is."""
    if shared is None:
        typer.echo(f"error: ippo eval {command} reads real public data kept outside ippo ({needs}); "
                   f"give --shared PATH or set {SHARED_ENV}", err=True)
        raise typer.Exit(2)
    return shared


@app.command("occupations")
def occupations(
    shared: SharedOption = None,
    dense: Annotated[bool, typer.Option("--dense/--no-dense", help="Include the MiniLM views.")] = True,
    limit: Annotated[int | None, typer.Option(help="Evaluate an even sample of N resumes.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, help="Cut-off for nDCG, recall and MRR.")] = 10,
) -> None:
    """nDCG@k (graded), recall@k and MRR of occupation ranking methods on the labelled resumes,
    per half of the frozen split (tuning half, held-out half) and on all of them.

    The methods are those of pipeline.occupations (BM25, TF-IDF views, MiniLM, the hybrid);
    the metrics are ranker.evaluate's. Resumes are read from the --shared folder only."""
    folder = _shared_folder(shared, "occupations", "resumes/resumes_dev.csv, resumes/category_to_onet.csv")
    resume_dir = folder / "resumes"
    if not (resume_dir / "resumes_dev.csv").is_file() or not (resume_dir / "category_to_onet.csv").is_file():
        typer.echo(f"skipped: {resume_dir}/resumes_dev.csv or category_to_onet.csv not found")
        raise typer.Exit(0)
    from benchmarks.occupations_eval import RESUME_HALVES, load_resumes, mean_by_half, resume_halves
    from pipeline.occupations.lexical import BM25View, onet_document
    from pipeline.occupations.model import Matcher
    from ranker.evaluate import ndcg_at_k, recall_at_k, reciprocal_rank

    rows, relevance = load_resumes(resume_dir)
    rows = [r for r in rows if r[0] in relevance]
    halves = resume_halves(rows)
    if limit:
        keep = list(range(0, len(rows), max(1, len(rows) // limit)))[:limit]
        rows, halves = [rows[i] for i in keep], [halves[i] for i in keep]
    texts = [text for _, text in rows]
    started = time.perf_counter()
    settings = cli_settings()
    matcher = Matcher("onet")
    views = matcher.components(texts, use_dense=dense, dense_view=settings.dense_view)
    short = np.zeros(len(texts), dtype=bool)
    methods = {
        "BM25 (occupation documents)": BM25View([onet_document(r) for r in matcher.records]).scores(texts),
        "TF-IDF (occupation documents)": views["document"],
        "TF-IDF (titles + documents)": matcher.fuse({n: v for n, v in views.items() if n != "dense"}, short),
    }
    if "dense" in views:
        methods["MiniLM alone"] = views["dense"]
        methods["hybrid (TF-IDF + MiniLM)"] = matcher.fuse(views, short)
    graded = [relevance[category] for category, _ in rows]
    relevant = [{c for c, g in grades.items() if g > 0} for grades in graded]
    per_method: dict[str, dict[str, dict[str, float]]] = {}
    for name, scores in methods.items():
        order = np.argsort(-scores, axis=1)[:, :max(k, 100)]
        ranked = [[matcher.codes[j] for j in row] for row in order]
        per_method[name] = {
            "lin": mean_by_half([ndcg_at_k(r, g, k, gain="linear") for r, g in zip(ranked, graded, strict=True)],
                                halves),
            "exp": mean_by_half([ndcg_at_k(r, g, k, gain="exponential") for r, g in zip(ranked, graded, strict=True)],
                                halves),
            "recall": mean_by_half([recall_at_k(r, s, k) for r, s in zip(ranked, relevant, strict=True)], halves),
            "mrr": mean_by_half([reciprocal_rank(r, s) for r, s in zip(ranked, relevant, strict=True)], halves),
        }
    typer.echo(f"{len(rows)} labelled resumes, {len(relevance)} categories (graded O*NET relevance); "
               f"scored in {time.perf_counter() - started:.0f} s; "
               "nDCG 'lin' = linear gain rel, 'exp' = exponential gain 2^rel-1")
    for half, heading in (
        (RESUME_HALVES[0], f"tuning half of the frozen resume split (pipeline.occupations.split), "
                           f"{halves.count(RESUME_HALVES[0])} resumes: the long-text weights were chosen on it"),
        (RESUME_HALVES[1], f"held-out half of the frozen resume split (pipeline.occupations.split), "
                           f"{halves.count(RESUME_HALVES[1])} resumes: never used for a choice"),
        ("all", f"all {len(rows)} resumes"),
    ):
        _print_resume_table(heading, k, {name: {m: v[half] for m, v in f.items()} for name, f in per_method.items()})
    if "dense" not in views:
        typer.echo("MiniLM alone and the hybrid are missing: the dense views are off or the model is unavailable")


def _print_resume_table(heading: str, k: int, figures: dict[str, dict[str, float]]) -> None:
    typer.echo(f"\n{heading}")
    typer.echo(f"{'method':<34} {'nDCG@' + str(k) + ' lin':>11} {'nDCG@' + str(k) + ' exp':>11} "
               f"{'recall@' + str(k):>10} {'MRR':>6}")
    for name, row in figures.items():
        typer.echo(f"{name:<34} {row['lin']:>11.3f} {row['exp']:>11.3f} {row['recall']:>10.3f} {row['mrr']:>6.3f}")


@app.command("fairness")
def fairness(
    listings: Annotated[int, typer.Option("--listings", min=200, help="Generated listings.")] = 5000,
    profiles: Annotated[int, typer.Option("--profiles", min=5, help="Generated profiles.")] = 200,
    need: Annotated[str, typer.Option(help="The sensitive need added.")] = "disability_employment",
    dense: Annotated[bool, typer.Option("--dense/--no-dense", help="Embed the generated titles (MiniLM).")] = True,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    shared: SharedOption = None,
) -> None:
    """Does disclosing a sensitive need ever lower needs-coverage@10 of the other needs? (GENERATED data)"""
    from benchmarks.synthetic import (
        ListingGenerator,
        SharedDataMissingError,
        generated_profiles,
        load_vocabulary,
        title_vectors,
    )
    from pipeline.embedding import Embedder
    from ranker.fairness import evaluate_fairness
    from ranker.serving_index import ServingIndex

    try:
        vocab = load_vocabulary(_shared_folder(shared, "fairness", "job titles, employers and places"))
    except SharedDataMissingError as exc:
        typer.echo(f"skipped: {exc}")
        raise typer.Exit(0) from None
    rows = ListingGenerator(vocab, seed=seed, title_pool=800).listings(listings)
    embedder = Embedder(cli_settings().embedding_model) if dense else None
    vectors = title_vectors(rows, embedder, seed=seed) if embedder is not None else None
    index = ServingIndex.build("generated", rows, vectors)
    report = evaluate_fairness(index, generated_profiles(rows, profiles, seed=seed + 1), need, embedder)
    summary = report.summary()
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        typer.echo(f"GENERATED data: {listings} listings, {profiles} profiles; sensitive need added: {need}")
        typer.echo(f"needs-coverage@10 of the other needs: without {summary['coverage_without_mean']:.4f}, "
                   f"with {summary['coverage_with_mean']:.4f} (mean over profiles)")
        d = summary["difference"]
        typer.echo(f"difference (with - without) per profile: min {d['min']:+.4f}  p5 {d['p5']:+.4f}  "
                   f"median {d['median']:+.4f}  mean {d['mean']:+.4f}  max {d['max']:+.4f}")
        typer.echo(f"profiles lower: {summary['profiles_lower']}, equal: {summary['profiles_equal']}, "
                   f"higher: {summary['profiles_higher']}")
        typer.echo(f"results meeting {need} per page: without {summary['sensitive_hits_per_page_without']}, "
                   f"with {summary['sensitive_hits_per_page_with']}")
    if report.lower:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="eval")

