# clubtool — set-up and everyday commands. Needs only Python ≥ 3.11 and the package registry.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out
YEAR   := 2027

.PHONY: demo test lint bench sample-data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	touch $@ $(VENV)/.installed

# The main job on the bundled sample data. The sample data holds deliberate mistakes:
# `validate` then exits 1, which is the expected outcome here (2 would be a real failure).
demo: $(VENV)/.installed
	@mkdir -p $(OUT)
	$(BIN)/clubtool --version
	$(BIN)/clubtool template club --year $(YEAR) --club-id MH-09 --club-name "CLB mẫu" \
		--villages-from sample_data/xa_mai_hoa_$(YEAR).xlsx -o $(OUT)/mau_clb_$(YEAR).xlsx --force
	$(BIN)/clubtool template commune --year $(YEAR) --commune "Mai Hoa" --province "Hà Tĩnh" \
		-o $(OUT)/mau_xa_$(YEAR).xlsx --force
	$(BIN)/clubtool validate sample_data/ --year $(YEAR) --annotate $(OUT)/tra_lai \
		|| [ $$? -eq 1 ]
	$(BIN)/clubtool validate sample_data/ --year $(YEAR) --format json > $(OUT)/kiem_tra_$(YEAR).json \
		|| [ $$? -eq 1 ]
	$(BIN)/clubtool indicators sample_data/ --year $(YEAR) --as-of $(YEAR)-12-31 || [ $$? -eq 1 ]
	$(BIN)/clubtool indicators sample_data/ --year $(YEAR) --as-of $(YEAR)-12-31 --format json \
		> $(OUT)/chi_tieu_$(YEAR).json || [ $$? -eq 1 ]
	$(BIN)/clubtool merge sample_data/ --year $(YEAR) -o $(OUT)/tong_hop_$(YEAR).xlsx --force \
		|| [ $$? -eq 1 ]
	$(BIN)/clubtool report sample_data/ --year $(YEAR) --as-of $(YEAR)-12-31 --date $(YEAR)-12-05 \
		--format docx,html,xlsx,md,json -o $(OUT) --force || [ $$? -eq 1 ]
	# The province (Hà Tĩnh): Mai Hoa's summary and three neighbouring communes (generated,
	# rolled up from their data folders) against the example province plan; Hương Bình of the
	# expected list sends nothing, so it is listed as missing
	$(BIN)/python scripts/clubtool_province.py $(OUT)/tinh_$(YEAR) > /dev/null
	$(BIN)/clubtool rollup $(OUT)/tong_hop_mai_hoa_$(YEAR).json $(OUT)/tinh_$(YEAR)/thach_xuan \
		$(OUT)/tinh_$(YEAR)/hoa_lam $(OUT)/tinh_$(YEAR)/phuc_dong --year $(YEAR) \
		--expect sample_data/tinh_ha_tinh/xa_du_kien_ha_tinh.csv \
		--plan clubtool/indicators/plans/ha_tinh_2026.toml --date $(YEAR)-12-20 \
		--format docx,html,xlsx,md,json -o $(OUT) --force || [ $$? -eq 1 ]
	# Five years of Mai Hoa (2026-2030, generated): into the archive, side by side, reviewed
	$(BIN)/python scripts/clubtool_years.py $(OUT)/nam_2026_2030 > /dev/null
	$(BIN)/clubtool archive $(OUT)/nam_2026_2030 --archive $(OUT)/clubtool.sqlite
	$(BIN)/clubtool indicators --years 2026-2030 --archive $(OUT)/clubtool.sqlite
	$(BIN)/clubtool report --phase 2026-2030 --archive $(OUT)/clubtool.sqlite --date 2030-12-20 \
		--format docx,html,xlsx,md,json -o $(OUT) --force
	@echo ""
	@echo "Kết quả / outputs:"
	@echo "  mẫu trống:            $(OUT)/mau_clb_$(YEAR).xlsx, $(OUT)/mau_xa_$(YEAR).xlsx"
	@echo "  bản đánh dấu lỗi:     $(OUT)/tra_lai/"
	@echo "  kết quả kiểm tra:     $(OUT)/kiem_tra_$(YEAR).json"
	@echo "  chỉ tiêu:             $(OUT)/chi_tieu_$(YEAR).json"
	@echo "  bảng tổng hợp:        $(OUT)/tong_hop_$(YEAR).xlsx"
	@echo "  báo cáo năm:          $(OUT)/bao_cao_$(YEAR).docx .html .xlsx .md .json"
	@echo "  tóm tắt gửi tỉnh:     $(OUT)/tong_hop_mai_hoa_$(YEAR).json (docs/summary.md)"
	@echo "  tổng hợp cấp tỉnh:    $(OUT)/tong_hop_tinh_ha_tinh_$(YEAR).docx .html .xlsx .md .json (3 xã bên cạnh: $(OUT)/tinh_$(YEAR)/)"
	@echo "  kho lưu trữ 5 năm:    $(OUT)/clubtool.sqlite (dữ liệu: $(OUT)/nam_2026_2030/)"
	@echo "  báo cáo sơ kết:       $(OUT)/so_ket_2026_2030.docx .html .xlsx .md .json"

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check clubtool tests scripts
	$(BIN)/mypy clubtool

# Speed and memory from one commune to the nation: N generated workbooks (cached in
# bench/cache/), clubtool's commands beside the pandas baseline and the calamine floor.
# `make bench N=20000` for the national case. Writes bench/results.md.
N ?= 1000
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py --n $(N)

# The hostile-file corpus of tests/security/corpus.py at full size, each file through
# `clubtool validate` alone and all together with good workbooks: time and peak memory per
# file, appended to bench/results.md. Run it bounded: `ulimit -v 8000000; make fuzz`.
.PHONY: fuzz
fuzz: $(VENV)/.installed-test
	$(BIN)/python bench/fuzz.py

sample-data: $(VENV)/.installed
	$(BIN)/python scripts/make_sample_data.py

clean:
	rm -rf $(OUT) build dist .pytest_cache .ruff_cache .mypy_cache
