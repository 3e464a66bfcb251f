// Assessment forms: a question with data-ask-if="other=yes" shows only when the earlier answer
// matches, and its answer is cleared when it hides (the server refuses answers to questions not asked).
function refreshAskedQuestions(form) {
  const answers = new FormData(form);
  form.querySelectorAll("[data-ask-if]").forEach((question) => {
    const asked = question.dataset.askIf.split(";").every((condition) => {
      const [name, wanted] = condition.split("=");
      return answers.get(name) === wanted;
    });
    question.hidden = !asked;
    if (!asked) {
      question.querySelectorAll("input").forEach((input) => {
        if (input.type === "radio" || input.type === "checkbox") input.checked = false; else input.value = "";
      });
    }
  });
}
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-assessment]");
  if (form) refreshAskedQuestions(form);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-assessment]").forEach(refreshAskedQuestions);
});

// Referral: the consent fields show only while "record the person's consent now" is ticked.
function refreshConsentFields() {
  const box = document.getElementById("record-consent");
  const fields = document.getElementById("consent-fields");
  if (box && fields) fields.hidden = !box.checked;
}
document.addEventListener("change", (event) => {
  if (event.target.id === "record-consent") refreshConsentFields();
});
document.addEventListener("DOMContentLoaded", refreshConsentFields);
