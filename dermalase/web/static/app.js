// dermalase clinic: progress of a plan, depth dials of the chosen areas, deviations,
// before/after slider. No inline script anywhere (the pages' CSP forbids it).
"use strict";

function pollJob(box) {
  const id = box.dataset.job;
  const stage = document.getElementById("job-stage");
  const tick = async () => {
    try {
      const answer = await fetch(`/api/v1/jobs/${encodeURIComponent(id)}`, {credentials: "same-origin"});
      if (answer.ok) {
        const job = await answer.json();
        stage.textContent = `${job.stage} (${Math.round(job.elapsed_s)} s)`;
        if (job.state === "done") { window.location.assign(`/plans/${job.plan_id}`); return; }
        if (job.state !== "queued" && job.state !== "running") { window.location.reload(); return; }
      }
    } catch (error) { stage.textContent = "waiting for the server…"; }
    window.setTimeout(tick, 1000);
  };
  window.setTimeout(tick, 500);
}

function depthDials() {
  const boxes = document.querySelectorAll("input[data-depth-area]");
  if (!boxes.length) return;
  const update = () => {
    const chosen = new Set(Array.from(boxes).filter(b => b.checked).map(b => b.value));
    document.querySelectorAll("fieldset.dial").forEach(dial => {
      const keep = chosen.has(dial.dataset.area) ||
        Array.from(dial.querySelectorAll("input")).some(i => i.value);
      dial.classList.toggle("hidden", !keep);
    });
  };
  boxes.forEach(box => box.addEventListener("change", update));
  update();
}

function deviations() {
  document.querySelectorAll("input.setting").forEach(input => {
    const mark = () => {
      const changed = Number(input.value) !== Number(input.dataset.planned);
      input.closest("tr").classList.toggle("deviation", changed);
    };
    input.addEventListener("input", mark);
  });
}

function beforeAfter() {
  const box = document.getElementById("compare");
  if (!box) return;
  const slider = document.getElementById("slider");
  const after = box.querySelector("figure.after");
  const afterImage = after.querySelector("img");
  const beforeImage = box.querySelector("figure.before img");
  const place = () => {
    if (!box.classList.contains("slider")) { after.style.width = ""; afterImage.style.width = ""; return; }
    after.style.width = `${slider.value}%`;
    afterImage.style.width = `${beforeImage.clientWidth}px`;
  };
  document.getElementById("mode-side").addEventListener("click", () => {
    box.classList.replace("slider", "side"); place();
  });
  document.getElementById("mode-slider").addEventListener("click", () => {
    box.classList.replace("side", "slider"); place();
  });
  slider.addEventListener("input", place);
  window.addEventListener("resize", place);
}

document.addEventListener("DOMContentLoaded", () => {
  const job = document.getElementById("job");
  if (job) pollJob(job);
  depthDials();
  deviations();
  beforeAfter();
});
